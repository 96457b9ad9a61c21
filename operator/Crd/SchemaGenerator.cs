using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Reflection;
using System.Text.Json.Serialization;
using k8s.Models;
using Payments.Operator.Entities;

namespace Payments.Operator.Crd;

/// <summary>
/// The OpenAPI v3 schema of a C# type, read from its properties: JSON names, [Description] for the
/// documentation, [Required], [Range], [MinLength], [AllowedValues] and [CelRule] for validation. The types are the
/// one source of truth; the CRD follows them (and a test checks the committed CRD does).
/// </summary>
internal static class SchemaGenerator
{
    /// <summary>The schema of <paramref name="type"/>; <paramref name="withDefaults"/> for spec types, never for status.</summary>
    public static V1JSONSchemaProps For(Type type, bool withDefaults = false)
    {
        var underlying = Nullable.GetUnderlyingType(type) ?? type;
        if (underlying == typeof(string))
        {
            return new V1JSONSchemaProps { Type = "string" };
        }

        if (underlying == typeof(bool))
        {
            return new V1JSONSchemaProps { Type = "boolean" };
        }

        if (underlying == typeof(int))
        {
            return new V1JSONSchemaProps { Type = "integer", Format = "int32" };
        }

        if (underlying == typeof(long))
        {
            return new V1JSONSchemaProps { Type = "integer", Format = "int64" };
        }

        if (underlying == typeof(DateTime))
        {
            return new V1JSONSchemaProps { Type = "string", Format = "date-time" };
        }

        if (underlying.IsGenericType && underlying.GetGenericTypeDefinition() == typeof(List<>))
        {
            return new V1JSONSchemaProps { Type = "array", Items = For(underlying.GetGenericArguments()[0], withDefaults) };
        }

        return ForObject(underlying, withDefaults);
    }

    private static V1JSONSchemaProps ForObject(Type type, bool withDefaults)
    {
        var properties = new Dictionary<string, V1JSONSchemaProps>();
        var required = new List<string>();
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            var name = property.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name
                ?? throw new InvalidOperationException($"{type.Name}.{property.Name} has no JSON name.");
            properties[name] = ForProperty(property, withDefaults);
            if (property.GetCustomAttribute<RequiredAttribute>() is not null)
            {
                required.Add(name);
            }
        }

        var rules = type.GetCustomAttributes<CelRuleAttribute>().Select(r => new V1ValidationRule { Rule = r.Rule, Message = r.Message }).ToList();
        return new V1JSONSchemaProps
        {
            Type = "object",
            Description = type.GetCustomAttribute<DescriptionAttribute>()?.Description,
            Properties = properties,
            Required = required.Count > 0 ? required : null,
            XKubernetesValidations = rules.Count > 0 ? rules : null,
        };
    }

    // The property's initial value in C# becomes the API server's default, so what kubectl shows and
    // what the operator assumes agree. Only scalars: an object's default is its fields' defaults.
    private static object? DefaultOf(PropertyInfo property)
    {
        var type = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
        if (type != typeof(string) && type != typeof(int) && type != typeof(bool))
        {
            return null;
        }

        var value = property.GetValue(Activator.CreateInstance(property.DeclaringType!));
        return value is string { Length: 0 } or false ? null : value;
    }

    private static V1JSONSchemaProps ForProperty(PropertyInfo property, bool withDefaults)
    {
        var schema = For(property.PropertyType, withDefaults);
        schema.Description = property.GetCustomAttribute<DescriptionAttribute>()?.Description
            ?? throw new InvalidOperationException($"{property.DeclaringType!.Name}.{property.Name} is not documented.");
        if (property.GetCustomAttribute<RangeAttribute>() is { } range)
        {
            schema.Minimum = Convert.ToDouble(range.Minimum, System.Globalization.CultureInfo.InvariantCulture);
            schema.Maximum = Convert.ToDouble(range.Maximum, System.Globalization.CultureInfo.InvariantCulture);
        }

        if (property.GetCustomAttribute<MinLengthAttribute>() is { } minLength)
        {
            if (schema.Type == "string")
            {
                schema.MinLength = minLength.Length;
            }
            else
            {
                schema.MinItems = minLength.Length;
            }
        }

        if (property.GetCustomAttribute<RegularExpressionAttribute>() is { } pattern)
        {
            schema.Pattern = pattern.Pattern;
        }

        if (property.GetCustomAttribute<AllowedValuesAttribute>() is { } allowed)
        {
            schema.EnumProperty = allowed.Values.Cast<object>().ToList();
        }

        if (withDefaults && property.GetCustomAttribute<RequiredAttribute>() is null && DefaultOf(property) is { } value)
        {
            schema.DefaultProperty = value;
        }

        return schema;
    }
}
