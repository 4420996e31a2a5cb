using System.Globalization;
using BenchmarkDotNet.Running;
using HaproxyKafka.Forwarder.Benchmarks;

// dotnet run -c Release --project bench/Forwarder.Benchmarks -- line        (BenchmarkDotNet, the hot path: sample lines, the race corpus, phases)
// dotnet run -c Release --project bench/Forwarder.Benchmarks -- load N RATE  (end to end; RATE 0 = full speed)
// dotnet run -c Release --project bench/Forwarder.Benchmarks -- passcred N ROUNDS  (CPU cost of socket.allowed_uids)
if (args.Length > 0 && args[0] == "passcred")
{
    return SenderCheckBenchmarks.CpuRun(
        args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 1_000_000,
        args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 3,
        Console.Out);
}

if (args.Length > 0 && args[0] == "load")
{
    var lines = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 200_000;
    var rate = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 0;
    return await LoadRun.RunAsync(lines, rate);
}

BenchmarkSwitcher.FromAssembly(typeof(LineBenchmarks).Assembly).Run(args.Length > 0 && args[0] == "line" ? ["--filter", "*"] : args);
return 0;
