namespace Payments.Audit.Checkpoints;

/// <summary>A signed statement that ledger <paramref name="Ledger"/> had hash <paramref name="HeadHash"/> at sequence <paramref name="Sequence"/>.</summary>
/// <param name="KeyId">Which key signed it: see <see cref="AuditKey.Id"/>.</param>
/// <param name="Signature">ECDSA P-256 over SHA-256 of <see cref="CheckpointPayload"/>, IEEE P1363 form (r || s).</param>
public sealed record Checkpoint(Guid Id, string Ledger, long Sequence, byte[] HeadHash, string KeyId, byte[] Signature, DateTimeOffset SignedAt);
