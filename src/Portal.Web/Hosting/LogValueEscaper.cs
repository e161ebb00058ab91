using System.Globalization;
using System.Text;
using Portal.Core.Common;
using Serilog.Core;
using Serilog.Events;

namespace Portal.Web.Hosting;

/// <summary>
/// Escapes line breaks, other control characters and bidirectional-formatting characters (the
/// <see cref="Names"/> rule) in every property of every log event, so a request path, header or name
/// can never start a new line or forge an entry, whatever sink and formatter the operator configures.
/// It runs last among the root enrichers; Serilog applies context and scope enrichers before them.
/// </summary>
public sealed class LogValueEscaper : ILogEventEnricher
{
    public void Enrich(LogEvent logEvent, ILogEventPropertyFactory propertyFactory)
    {
        List<LogEventProperty>? changed = null;
        foreach (var (name, value) in logEvent.Properties)
        {
            var escaped = Escape(value);
            if (!ReferenceEquals(escaped, value))
                (changed ??= []).Add(new LogEventProperty(name, escaped));
        }
        foreach (var property in changed ?? [])
            logEvent.AddOrUpdateProperty(property);
    }

    private static LogEventPropertyValue Escape(LogEventPropertyValue value)
    {
        switch (value)
        {
            case ScalarValue { Value: string text }:
                return Names.HasUnsafeCharacters(text) ? new ScalarValue(Escape(text)) : value;
            case ScalarValue { Value: { } other } when !IsPlain(other):
                // Objects logged as scalars are rendered with ToString() later: look at that text now.
                return Convert.ToString(other, CultureInfo.InvariantCulture) is { } rendered && Names.HasUnsafeCharacters(rendered)
                    ? new ScalarValue(Escape(rendered))
                    : value;
            case SequenceValue sequence:
                var elements = sequence.Elements.Select(Escape).ToList();
                return elements.SequenceEqual(sequence.Elements) ? value : new SequenceValue(elements);
            case StructureValue structure:
                var properties = structure.Properties.Select(p => new { p.Name, Value = Escape(p.Value), Original = p.Value }).ToList();
                return properties.All(p => ReferenceEquals(p.Value, p.Original))
                    ? value
                    : new StructureValue(properties.Select(p => new LogEventProperty(p.Name, p.Value)), structure.TypeTag);
            case DictionaryValue dictionary:
                var entries = dictionary.Elements.Select(e => new KeyValuePair<ScalarValue, LogEventPropertyValue>((ScalarValue)Escape(e.Key), Escape(e.Value))).ToList();
                return entries.Zip(dictionary.Elements).All(p => ReferenceEquals(p.First.Key, p.Second.Key) && ReferenceEquals(p.First.Value, p.Second.Value))
                    ? value
                    : new DictionaryValue(entries);
            default:
                return value;
        }
    }

    private static bool IsPlain(object value) =>
        value is bool or byte or sbyte or short or ushort or int or uint or long or ulong or float or double or decimal
            or DateTime or DateTimeOffset or TimeSpan or Guid or Enum;

    /// <summary>\r and \n as the two characters a reader expects; anything else unsafe as \uXXXX.</summary>
    public static string Escape(string text)
    {
        if (!Names.HasUnsafeCharacters(text))
            return text;
        var builder = new StringBuilder(text.Length + 16);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
                builder.Append(c).Append(text[++i]);
            else if (c is '\r')
                builder.Append("\\r");
            else if (c is '\n')
                builder.Append("\\n");
            else if (Names.IsUnsafe(c) || char.IsSurrogate(c))
                builder.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
            else
                builder.Append(c);
        }
        return builder.ToString();
    }
}
