using Grpc.Core;
using Payments.Api.Storage;
using Payments.Contracts;
using Payments.Contracts.EventsV1;
using Payments.Contracts.LedgerV1;
using Payments.Contracts.PaymentsV1;
using Payments.ServiceDefaults.Grpc;
using Payments.ServiceDefaults.Security;

namespace Payments.Api.Payments;

/// <summary>
/// Object-level authorization of the Payment API: a principal debits only accounts it owns, acts only on
/// payments that debit (capture, void) or credited (reverse) its own accounts, and reads only the
/// payments it made. An accounts administrator (accounts:admin) is bound by none of these. A payment or
/// account the caller may not see is answered exactly as if it did not exist (ADR 0050): ids derive
/// from their maker's principal and request id, so anything else would let anyone probe another
/// principal's payments and accounts.
/// </summary>
internal sealed class PaymentAccess(KnownAccounts accounts, PaymentReader payments)
{
    /// <summary>
    /// For each of <paramref name="requested"/>, why it is refused before anything is written, or null: the
    /// caller does not own the debit account, or the ledger would refuse it for what never changes about
    /// its accounts (missing, of another ledger, in another currency), with the code the ledger would give.
    /// </summary>
    public async Task<IReadOnlyList<RpcException?>> PaymentRefusalsAsync(ServerCallContext context, IReadOnlyList<PaymentRequested> requested)
    {
        if (CallerPrincipal.IsAdministrator(context))
        {
            return [.. requested.Select(_ => (RpcException?)null)];
        }

        var principal = CallerPrincipal.Of(context);
        var known = await accounts.FindAsync(
            [.. requested.SelectMany(p => new[] { Guid.Parse(p.DebitAccountId), Guid.Parse(p.CreditAccountId) })], context.CancellationToken);
        return [.. requested.Select(payment => Refusal(principal, payment, known))];
    }

    /// <summary>
    /// Throws unless the caller may capture or void <paramref name="holdId"/> (it owns the held account)
    /// and it is a hold a client may release: anything else is refused without a write, since a
    /// payment's type never changes.
    /// </summary>
    public Task EnsureMayReleaseAsync(ServerCallContext context, Guid holdId) =>
        EnsureMayActOnAsync(context, holdId, payment => payment.DebitAccountId, ResultCode.PendingTransferNotFound, type => type switch
        {
            PaymentType.Hold => ResultCode.Ok,
            PaymentType.Payout => ResultCode.HoldIsPayout,
            _ => ResultCode.PendingTransferNotFound,
        });

    /// <summary>
    /// Throws unless the caller may reverse <paramref name="paymentId"/> (it owns the account the reversal
    /// debits) and it is of a type that posts money: a transfer, a capture or a payout.
    /// </summary>
    public Task EnsureMayReverseAsync(ServerCallContext context, Guid paymentId) =>
        EnsureMayActOnAsync(context, paymentId, payment => payment.CreditAccountId, ResultCode.ReversalTargetNotFound, type => type switch
        {
            PaymentType.Transfer or PaymentType.Capture or PaymentType.Payout => ResultCode.Ok,
            _ => ResultCode.ReversalTargetNotReversible,
        });

    /// <summary>Throws as for a missing payment unless the caller made <paramref name="record"/> or is an administrator.</summary>
    public static void EnsureMayRead(ServerCallContext context, PaymentRecord record)
    {
        if (!CallerPrincipal.IsAdministrator(context) && record.Principal != CallerPrincipal.Of(context))
        {
            throw PaymentNotFound(Guid.Parse(record.Payment.Id));
        }
    }

    /// <summary>Throws unless the caller may read <paramref name="paymentId"/>; administrators skip the lookup.</summary>
    public async Task EnsureMayReadAsync(ServerCallContext context, Guid paymentId)
    {
        if (CallerPrincipal.IsAdministrator(context))
        {
            return;
        }

        EnsureMayRead(context, await payments.FindAsync(paymentId, context.CancellationToken) ?? throw PaymentNotFound(paymentId));
    }

    /// <summary>What a call about a payment that does not exist is told, and so a stranger about one that does.</summary>
    public static RpcException PaymentNotFound(Guid paymentId) => GrpcErrors.For(ResultCode.PaymentNotFound, $"No payment has id {paymentId}.");

    /// <param name="side">The target's account the caller must own.</param>
    /// <param name="noTransfer">What the ledger answers for a target that posted nothing, as a rejected one did.</param>
    /// <param name="typeRule">Whether the action applies to a payment of the target's type, and the code if not.</param>
    /// <remarks>
    /// Who may act is settled before anything about the target is told: a stranger learns neither its
    /// type, nor its state, nor its accounts, whatever they are.
    /// </remarks>
    private async Task EnsureMayActOnAsync(ServerCallContext context, Guid paymentId, Func<Payment, string> side, ResultCode noTransfer,
        Func<PaymentType, ResultCode> typeRule)
    {
        var target = await payments.FindAsync(paymentId, context.CancellationToken) ?? throw PaymentNotFound(paymentId);
        var administrator = CallerPrincipal.IsAdministrator(context);
        var principal = CallerPrincipal.Of(context);
        var account = Guid.TryParse(side(target.Payment), out var known) ? known : (Guid?)null;
        var owner = account is null || administrator ? null
            : (await accounts.FindAsync([account.Value], context.CancellationToken)).GetValueOrDefault(account.Value)?.Owner;
        if (!administrator && target.Principal != principal && owner != principal)
        {
            throw PaymentNotFound(paymentId);
        }

        // The payee of a payment someone else made learns of it when it posts to the payee's account, not
        // before: until then, or when the ledger refused it, it does not exist for the payee either.
        if (!administrator && target.Principal != principal && target.Payment.Status is PaymentStatus.Accepted or PaymentStatus.Rejected)
        {
            throw PaymentNotFound(paymentId);
        }

        if (typeRule(target.Payment.Type) is var code and not ResultCode.Ok)
        {
            throw GrpcErrors.For(code, $"Payment {paymentId} is a {target.Payment.Type.ToString().ToLowerInvariant()}: {code.Reason()}.");
        }

        // A target the ledger rejected posted nothing and never will: refused here, as the ledger would.
        if (target.Payment.Status == PaymentStatus.Rejected)
        {
            throw GrpcErrors.For(noTransfer, $"Payment {paymentId} was rejected and posted nothing.");
        }

        if (administrator)
        {
            return;
        }

        // A capture, void or reversal names its accounts only once the ledger has posted it.
        if (account is null)
        {
            throw GrpcErrors.For(ResultCode.OutcomePending, $"Payment {paymentId} is not decided yet; retry once it is.");
        }

        // The caller made the payment, so it knows the account; it may still not be the one to debit it.
        if (owner != principal)
        {
            throw GrpcErrors.For(ResultCode.NotAccountOwner, $"Account {account} belongs to another principal.");
        }
    }

    // In the ledger's own order (TransferValidator), so the answer is the one it would give. Someone else's
    // debit account is reported as missing, with the very message a missing one gets.
    private static RpcException? Refusal(string principal, PaymentRequested payment, Dictionary<Guid, KnownAccount> known)
    {
        var debit = known.GetValueOrDefault(Guid.Parse(payment.DebitAccountId));
        var credit = known.GetValueOrDefault(Guid.Parse(payment.CreditAccountId));
        return debit is null || debit.Owner != principal || debit.Ledger != payment.Ledger
                ? GrpcErrors.For(ResultCode.DebitAccountNotFound, $"No account has id {payment.DebitAccountId}.")
            : credit is null || credit.Ledger != payment.Ledger
                ? GrpcErrors.For(ResultCode.CreditAccountNotFound, $"No account has id {payment.CreditAccountId}.")
            : debit.Currency != payment.Currency || credit.Currency != payment.Currency
                ? GrpcErrors.For(ResultCode.CurrencyMismatch, $"Both accounts must be in the payment's currency, {payment.Currency}.")
            : null;
    }
}
