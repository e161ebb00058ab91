using System.Collections;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Portal.Web.Api;

/// <summary>
/// Refuses, while a body is bound, a null that the contract's nullable annotations allow nowhere: an item of a list
/// (<c>"tags": [null]</c>) or a property of an object in a list (<c>"lineage": [{ "kind": "TrainedOn" }]</c>, its asset missing).
/// System.Text.Json takes no notice of annotations on collection items, and services met those nulls as NullReferenceExceptions:
/// 500s. Refused here, each is a 400 naming the item (<see cref="BindingFailureHandler"/>).
/// </summary>
internal static class NullItemsGuard
{
    public static void Modify(JsonTypeInfo info)
    {
        if (info.Kind != JsonTypeInfoKind.Object)
            return;
        var nullability = new NullabilityInfoContext();
        var guarded = info.Properties
            .Where(p => p.Get is not null && p.AttributeProvider is PropertyInfo)
            .Select(p => (p.Name, Get: p.Get!, Items: ItemsOf(nullability, (PropertyInfo)p.AttributeProvider!)))
            .Where(p => p.Items is not null)
            .ToList();
        if (guarded.Count == 0)
            return;
        var before = info.OnDeserialized;
        info.OnDeserialized = value =>
        {
            before?.Invoke(value);
            foreach (var (name, get, items) in guarded)
                items!.Check(name, get(value));
        };
    }

    /// <summary>The rule for a list property whose items may not be null, with the item type's own non-nullable properties; null for anything else.</summary>
    private static ItemRule? ItemsOf(NullabilityInfoContext nullability, PropertyInfo property)
    {
        var type = property.PropertyType;
        if (type == typeof(string) || !typeof(IEnumerable).IsAssignableFrom(type) || typeof(IDictionary).IsAssignableFrom(type)
            || (type.IsGenericType && type.GetGenericArguments().Length != 1 && !type.IsArray))
            return null;
        var info = nullability.Create(property);
        var item = type.IsArray ? info.ElementType : info.GenericTypeArguments.SingleOrDefault();
        if (item is null || item.Type.IsValueType || item.ReadState != NullabilityState.NotNull)
            return null;
        var required = item.Type == typeof(string) ? [] : item.Type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.CanRead && !p.PropertyType.IsValueType && p.GetIndexParameters().Length == 0 && nullability.Create(p).ReadState == NullabilityState.NotNull)
            .ToArray();
        return new ItemRule(required);
    }

    private sealed class ItemRule(PropertyInfo[] required)
    {
        public void Check(string name, object? list)
        {
            if (list is not IEnumerable items)
                return;
            var index = 0;
            foreach (var item in items)
            {
                if (item is null)
                    throw new NullItemException($"{name}[{index}]", "An item cannot be null.");
                foreach (var property in required)
                {
                    if (property.GetValue(item) is null)
                        throw new NullItemException($"{name}[{index}].{JsonNamingPolicy.CamelCase.ConvertName(property.Name)}", "A value is required here.");
                }
                index++;
            }
        }
    }
}

/// <summary>A null item or item property the contract does not allow, with where it is.</summary>
internal sealed class NullItemException(string field, string message) : JsonException(message)
{
    public string Field { get; } = field;
}
