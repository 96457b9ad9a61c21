namespace Payments.Faults.Tests.Bank;

/// <summary>The accounts of a bank run: who pays whom.</summary>
/// <param name="Funding">May go negative; tops wallets up.</param>
/// <param name="Wallets">No-overdraft accounts: their balance must never go below zero.</param>
/// <param name="Merchants">Receive transfers and captured holds.</param>
/// <param name="Settlement">The EUR settlement account payouts go to.</param>
internal sealed record BankAccounts(string Funding, IReadOnlyList<string> Wallets, IReadOnlyList<string> Merchants, string Settlement);
