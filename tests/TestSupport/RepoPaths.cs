namespace HaproxyKafka.TestSupport;

/// <summary>Locations in the source tree, found from the test binary upwards so tests run from any directory.</summary>
public static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    public static string Schema => Path.Combine(Root, "schema.yaml");

    public static string Generated => Path.Combine(Root, "generated");

    public static string Templates => Path.Combine(Root, "templates");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "HaproxyKafka.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("HaproxyKafka.sln not found above " + AppContext.BaseDirectory);
    }
}
