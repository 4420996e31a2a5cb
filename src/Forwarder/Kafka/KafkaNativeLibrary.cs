using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace HaproxyKafka.Forwarder.Kafka;

/// <summary>
/// Points Confluent.Kafka at Debian's <c>librdkafka.so.1</c> (package librdkafka1), the library production hosts use.
/// Confluent looks for <c>librdkafka</c>/<c>librdkafka.so</c> and binds <c>libdl</c>, which glibc 2.36 only ships as
/// <c>libdl.so.2</c>; a resolver installed before the first Confluent call maps both.
/// </summary>
public static class KafkaNativeLibrary
{
    public const string SystemLibrary = "librdkafka.so.1";

    /// <summary>For other assemblies that use Confluent.Kafka: touching this type runs the module initializer once.</summary>
    public static void EnsureInstalled()
    {
    }

    /// <summary>Loads <see cref="SystemLibrary"/> the way the resolver does; false when the dynamic loader cannot find it.</summary>
    public static bool TryLoad(out IntPtr handle) => NativeLibrary.TryLoad(SystemLibrary, out handle);

    [ModuleInitializer]
    internal static void Install()
    {
        NativeLibrary.SetDllImportResolver(typeof(Confluent.Kafka.Library).Assembly, Resolve);
        NativeLibrary.SetDllImportResolver(typeof(KafkaNativeLibrary).Assembly, Resolve);
    }

    private static IntPtr Resolve(string name, Assembly assembly, DllImportSearchPath? path)
    {
        if (name.Contains("rdkafka", StringComparison.Ordinal))
        {
            return NativeLibrary.Load(SystemLibrary);
        }

        if (name is "libdl" or "libdl.so")
        {
            return NativeLibrary.Load("libdl.so.2");
        }

        return IntPtr.Zero;
    }
}
