using Grpc.Core;
using Grpc.Net.Client;
using Payments.Contracts.PaymentsV1;
using Payments.EventBus;
using Payments.ServiceDefaults.Security;
using Payments.Testing;

namespace Payments.Faults.Tests.Bank;

/// <summary>
/// Concurrent clients sending a seeded mix of transfers, deposits, holds and their captures and voids,
/// payouts and reversals. Each operation has its own request_id and is retried with it until the
/// platform answers; some clients are impatient and give up after one very short deadline, which leaves
/// their outcome indeterminate. The seed fixes each client's choices; the interleaving is the machine's.
/// </summary>
internal sealed class BankWorkload(Platform platform, BankAccounts accounts, History history, int seed)
{
    private const int AttemptsMax = 40;
    private static readonly TimeSpan AttemptDeadline = TimeSpan.FromSeconds(3);

    private readonly Lock clientGate = new();
    private (Uri Url, GrpcChannel Channel)? current;
    private int next = -1;
    private int stopAt = int.MaxValue;

    /// <summary>Lets the clients run <paramref name="more"/> further operations, then stop.</summary>
    public void StopAfter(int more) => Interlocked.Exchange(ref stopAt, Volatile.Read(ref next) + more);

    public Task RunAsync(FaultProfile profile, CancellationToken cancellationToken) =>
        Task.WhenAll(Enumerable.Range(0, profile.Clients).Select(async client =>
        {
            var random = new Random(HashCode.Combine(seed, client));
            while (!cancellationToken.IsCancellationRequested)
            {
                var index = Interlocked.Increment(ref next);
                if (index >= profile.OperationsMax || index >= Volatile.Read(ref stopAt))
                {
                    return;
                }

                await RunOneAsync(index, random, cancellationToken);
            }
        }));

    private async Task RunOneAsync(int index, Random random, CancellationToken cancellationToken)
    {
        var requestId = $"bank-{seed}-{index}";
        var (kind, amount, request) = Plan(random, requestId);
        if (request is null)
        {
            return;
        }

        var impatient = random.NextDouble() < 0.03;
        var (ending, status, refusal) = await CallAsync(request, impatient, random, cancellationToken);
        history.Record(new Operation(index, kind, IntentIds.Payment("dev", requestId), ending, status, refusal), amount);
    }

    private delegate Task<Payment> Call(PaymentService.PaymentServiceClient client, DateTime deadline, CancellationToken cancellationToken);

    private (string Kind, long Amount, Call? Request) Plan(Random random, string requestId)
    {
        var wallet = accounts.Wallets[random.Next(accounts.Wallets.Count)];
        var roll = random.NextDouble();
        if (roll < 0.45)
        {
            var to = random.Next(2) == 0 ? accounts.Merchants[random.Next(accounts.Merchants.Count)] : accounts.Wallets[random.Next(accounts.Wallets.Count)];
            return Create("transfer", wallet, to == wallet ? accounts.Funding : to, random.Next(1, 3_000), requestId);
        }

        if (roll < 0.55)
        {
            return Create("deposit", accounts.Funding, wallet, random.Next(1_000, 5_000), requestId);
        }

        if (roll < 0.67)
        {
            var amount = random.Next(1, 1_500);
            var timeoutMs = random.Next(2, 9) * 1_000L;
            return ("hold", amount, async (client, deadline, ct) => (await client.CreatePaymentAsync(new CreatePaymentRequest
            {
                RequestId = requestId, DebitAccountId = wallet, CreditAccountId = accounts.Merchants[0], AmountMinor = amount, Currency = "EUR",
                Hold = true, HoldTimeoutMs = timeoutMs, WaitForOutcome = true,
            }, deadline: deadline, cancellationToken: ct)).Payment);
        }

        // Amounts are drawn here, once: every retry must carry the same payload.
        if (roll < 0.80 && history.AnyHold(random) is { } hold)
        {
            var captured = random.Next(0, (int)hold.Amount + 1);
            return random.Next(3) == 0
                ? ("void", 0, async (client, deadline, ct) => (await client.VoidPaymentAsync(new VoidPaymentRequest
                {
                    RequestId = requestId, PaymentId = hold.Id.ToString(), WaitForOutcome = true,
                }, deadline: deadline, cancellationToken: ct)).Payment)
                : ("capture", 0, async (client, deadline, ct) => (await client.CapturePaymentAsync(new CapturePaymentRequest
                {
                    RequestId = requestId, PaymentId = hold.Id.ToString(), AmountMinor = captured, WaitForOutcome = true,
                }, deadline: deadline, cancellationToken: ct)).Payment);
        }

        if (roll < 0.90)
        {
            var amount = random.Next(1, 2_000);
            var beneficiary = random.NextDouble() switch { < 0.7 => "DE89370400440532013000", < 0.9 => "decline-bank", _ => "flaky-bank" };
            return ("payout", amount, async (client, deadline, ct) => (await client.CreatePaymentAsync(new CreatePaymentRequest
            {
                RequestId = requestId, DebitAccountId = wallet, CreditAccountId = accounts.Settlement, AmountMinor = amount, Currency = "EUR",
                PayoutBeneficiary = beneficiary, HoldTimeoutMs = 60_000, WaitForOutcome = true,
            }, deadline: deadline, cancellationToken: ct)).Payment);
        }

        if (history.AnyPosted(random) is { } original)
        {
            var reversed = random.Next(0, (int)Math.Min(original.Amount, 500) + 1);
            return ("reversal", 0, async (client, deadline, ct) => (await client.ReversePaymentAsync(new ReversePaymentRequest
            {
                RequestId = requestId, PaymentId = original.Id.ToString(), AmountMinor = reversed,
                WaitForOutcome = true,
            }, deadline: deadline, cancellationToken: ct)).Payment);
        }

        return ("none", 0, null);
    }

    private static (string, long, Call) Create(string kind, string from, string to, long amount, string requestId) =>
        (kind, amount, async (client, deadline, ct) => (await client.CreatePaymentAsync(new CreatePaymentRequest
        {
            RequestId = requestId, DebitAccountId = from, CreditAccountId = to, AmountMinor = amount, Currency = "EUR", WaitForOutcome = true,
        }, deadline: deadline, cancellationToken: ct)).Payment);

    // Retries with the same request_id until answered. Statuses that say "try again" (or that a dying
    // process leaves behind) are retried; any other status is the platform's definite answer.
    private async Task<(Ending, PaymentStatus, StatusCode?)> CallAsync(Call request, bool impatient, Random random, CancellationToken cancellationToken)
    {
        for (var attempt = 1; attempt <= AttemptsMax && !cancellationToken.IsCancellationRequested; attempt++)
        {
            var deadline = DateTime.UtcNow + (impatient ? TimeSpan.FromMilliseconds(random.Next(1, 30)) : AttemptDeadline);
            try
            {
                var payment = await request(Client(), deadline, cancellationToken);
                return (Ending.Acked, payment.Status, null);
            }
            catch (RpcException error) when (error.StatusCode is StatusCode.Unavailable or StatusCode.DeadlineExceeded or StatusCode.Cancelled
                                                 or StatusCode.Internal or StatusCode.Unknown)
            {
                history.CountRetry(error.StatusCode);
                if (impatient)
                {
                    return (Ending.Indeterminate, PaymentStatus.Unspecified, null);
                }

                await Task.Delay(random.Next(50, 250), cancellationToken);
            }
            catch (RpcException error)
            {
                return (Ending.Refused, PaymentStatus.Unspecified, error.StatusCode);
            }
        }

        return (Ending.Indeterminate, PaymentStatus.Unspecified, null);
    }

    // One channel per API process; a restarted API listens on a new port.
    private PaymentService.PaymentServiceClient Client()
    {
        var url = platform.Api.Url;
        lock (clientGate)
        {
            if (current?.Url != url)
            {
                current?.Channel.Dispose();
                current = (url, GrpcChannel.ForAddress(url));
            }

            return new PaymentService.PaymentServiceClient(TestTokens.WithToken(current.Value.Channel, TestTokens.For(Platform.DefaultPrincipal, Scopes.All)));
        }
    }
}
