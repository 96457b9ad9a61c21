namespace Payments.Ledger.Domain;

/// <summary>What a payment intent asks the ledger to do.</summary>
public sealed record TransferCommand(
    Guid Id,
    string Ledger,
    Guid DebitAccountId,
    Guid CreditAccountId,
    long AmountMinor,
    string Currency);
