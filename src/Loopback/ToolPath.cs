namespace HaproxyKafka.Loopback;

/// <summary>Finds an installed tool (haproxy lives in /usr/sbin, which a plain user's PATH may lack).</summary>
public static class ToolPath
{
    public static string? TryLocate(string fileName)
    {
        if (Path.IsPathRooted(fileName))
        {
            return File.Exists(fileName) ? fileName : null;
        }

        var dirs = (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(':').Concat(["/usr/sbin", "/sbin", "/opt/puppetlabs/bin"]);
        return dirs.Where(d => d.Length > 0).Select(d => Path.Combine(d, fileName)).FirstOrDefault(File.Exists);
    }

    public static string Locate(string fileName) =>
        TryLocate(fileName) ?? throw new FileNotFoundException($"'{fileName}' is not installed; scripts/install-test-tools installs it (apt-get install haproxy puppet-agent prometheus kcat librdkafka1)");
}
