using System.Security.Cryptography;
using System.Text;

namespace Payments.EventBus;

/// <summary>
/// Name-based UUIDs (RFC 9562 version 5). The same namespace and name always give the same id, which is
/// how a retried request maps to the same payment and the same event id.
/// </summary>
public static class DeterministicGuid
{
    /// <summary>Derives the id of <paramref name="name"/> within <paramref name="namespaceId"/>.</summary>
    public static Guid Create(Guid namespaceId, string name)
    {
        Span<byte> input = stackalloc byte[16 + Encoding.UTF8.GetMaxByteCount(name.Length)];
        namespaceId.TryWriteBytes(input, bigEndian: true, out _);
        var nameLength = Encoding.UTF8.GetBytes(name, input[16..]);

        Span<byte> hash = stackalloc byte[20];
#pragma warning disable CA5350 // SHA-1 is what RFC 9562 prescribes for version 5; it names, it does not protect.
        SHA1.HashData(input[..(16 + nameLength)], hash);
#pragma warning restore CA5350

        hash[6] = (byte)((hash[6] & 0x0F) | 0x50);
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        return new Guid(hash[..16], bigEndian: true);
    }
}
