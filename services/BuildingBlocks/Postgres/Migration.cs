using System.Reflection;

namespace Payments.Postgres;

/// <summary>One schema change, applied once, in order, by the owner role.</summary>
/// <param name="Id">Stable id, recorded in <c>public.schema_migrations</c>.</param>
/// <param name="Sql">The SQL to run.</param>
public sealed record Migration(string Id, string Sql)
{
    /// <summary>Reads an embedded <c>.sql</c> resource of <paramref name="assembly"/> whose name ends with <paramref name="fileName"/>.</summary>
    public static Migration FromResource(Assembly assembly, string fileName)
    {
        var resource = assembly.GetManifestResourceNames().Single(n => n.EndsWith(fileName, StringComparison.Ordinal));
        using var stream = assembly.GetManifestResourceStream(resource)!;
        using var reader = new StreamReader(stream);
        return new Migration(Path.GetFileNameWithoutExtension(fileName), reader.ReadToEnd());
    }
}
