namespace HaproxyKafka.Forwarder.Lifecycle;

/// <summary>
/// How to start this daemon again: the executable at its own path (so a binary upgraded in place takes over) with
/// the same arguments.
/// </summary>
internal sealed record SuccessorCommand(string Executable, IReadOnlyList<string> Arguments)
{
    // What Linux appends to /proc/self/exe once the file was replaced (a package upgrade renames the new binary over it).
    private const string Deleted = " (deleted)";

    public static SuccessorCommand ForThisProcess(IReadOnlyList<string> arguments)
    {
        var executable = Environment.ProcessPath ?? throw new InvalidOperationException("the executable's path is unknown");
        if (executable.EndsWith(Deleted, StringComparison.Ordinal))
        {
            executable = executable[..^Deleted.Length];
        }

        // Run as `dotnet haproxykafka.dll`: the host is dotnet, and the assembly must come first again.
        if (Path.GetFileNameWithoutExtension(executable) == "dotnet")
        {
            return new SuccessorCommand(executable, [Environment.GetCommandLineArgs()[0], .. arguments]);
        }

        return new SuccessorCommand(executable, arguments);
    }
}
