using HaproxyKafka.Contract;

namespace HaproxyKafka.Forwarder.Benchmarks;

internal static class Paths
{
    public static string Root
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "HaproxyKafka.sln")))
                {
                    return dir.FullName;
                }
            }

            throw new DirectoryNotFoundException("run from inside the repository");
        }
    }

    public static string ParserTable => Path.Combine(Root, "generated", "forwarder", "parser-table.json");

    public static string Schema => Path.Combine(Root, "schema.yaml");
}
