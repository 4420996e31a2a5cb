namespace HaproxyKafka.Forwarder.Tests.Faults;

/// <summary>Waits on a condition, never on the clock: the timeout only ends a wait that would never succeed.</summary>
internal static class Until
{
    public static async Task<bool> TrueAsync(Func<Task<bool>> condition, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (await condition())
            {
                return true;
            }

            await Task.Delay(100);
        }

        return await condition();
    }
}
