using BenchmarkDotNet.Running;
using HaproxyKafka.DeadLetters.Benchmarks;

// dotnet run -c Release --project bench/DeadLetters.Benchmarks   (BenchmarkDotNet: the rejection storm)
BenchmarkRunner.Run<RejectionStorm>(args: args);
