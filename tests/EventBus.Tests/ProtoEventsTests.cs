using System.Diagnostics;
using Payments.Contracts.EventsV1;

namespace Payments.EventBus.Tests;

public sealed class ProtoEventsTests
{
    [Fact]
    public void An_envelope_carries_the_full_type_name_and_round_trips_the_payload()
    {
        var payload = new PaymentRequested { PaymentId = Guid.NewGuid().ToString(), AmountMinor = long.MaxValue, Currency = "EUR" };
        var envelope = ProtoEvents.Wrap(payload, Guid.NewGuid(), "tests", payload.PaymentId, "main", DateTimeOffset.UtcNow, null);

        Assert.Equal("events.v1.PaymentRequested", envelope.Type);
        Assert.True(envelope.Carries<PaymentRequested>());
        Assert.False(envelope.Carries<TransferPosted>());
        Assert.Equal(payload, envelope.Unwrap<PaymentRequested>());
    }

    [Fact]
    public void Fields_from_a_newer_producer_are_ignored()
    {
        var data = """{"paymentId":"p","amountMinor":"5","fieldFromTheFuture":{"x":1}}""";
        var payload = ProtoEvents.ParseData<PaymentRequested>(data);
        Assert.Equal(5, payload.AmountMinor);
    }

    [Fact]
    public void The_current_trace_context_is_rendered_as_a_w3c_traceparent()
    {
        using var activity = new Activity("test").SetIdFormat(ActivityIdFormat.W3C).Start();
        activity.ActivityTraceFlags = ActivityTraceFlags.Recorded;
        Assert.Equal($"00-{activity.TraceId}-{activity.SpanId}-01", ProtoEvents.CurrentTraceParent());
    }
}
