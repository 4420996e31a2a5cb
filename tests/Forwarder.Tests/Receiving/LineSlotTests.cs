using HaproxyKafka.Forwarder.Receiving;

namespace HaproxyKafka.Forwarder.Tests.Receiving;

public class LineSlotTests
{
    [Fact]
    public void A_slot_holds_exactly_the_last_datagram_also_after_growing_past_4_KiB()
    {
        var slot = new LineSlot();
        var large = Enumerable.Range(0, 10_000).Select(i => (byte)i).ToArray();

        slot.Fill(large);
        slot.Line.ToArray().Should().Equal(large);

        slot.Fill("short"u8);
        slot.Line.ToArray().Should().Equal("short"u8.ToArray(), "a shorter line after a long one leaves no tail behind");
    }
}
