using System.Globalization;
using System.Text.Json;
using Portal.Core.Common;

namespace Portal.Core.Audit.Verification;

/// <summary>
/// The audit log as a JSON file the command-line verifier reads instead of the database: an object
/// with <c>"format": "portal-audit-export/v1"</c> and <c>"events"</c>, each event's fields as in
/// ADR-010 with <c>occurredAt</c> as UTC milliseconds text and <c>hash</c> as lowercase hex.
/// </summary>
public static class AuditExport
{
    public const string Format = "portal-audit-export/v1";

    public static async Task WriteAsync(Stream output, IAsyncEnumerable<AuditEvent> events, CancellationToken ct)
    {
        await using var json = new Utf8JsonWriter(output, new JsonWriterOptions { Indented = false });
        json.WriteStartObject();
        json.WriteString("format", Format);
        json.WriteStartArray("events");
        await foreach (var e in events.WithCancellation(ct))
        {
            json.WriteStartObject();
            json.WriteNumber("sequence", e.Sequence);
            json.WriteString("occurredAt", e.OccurredAt.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture));
            json.WriteString("actorKind", e.ActorKind.ToString());
            json.WriteString("actorId", e.ActorId);
            json.WriteString("actorName", e.ActorName);
            json.WriteString("action", e.Action);
            json.WriteString("subjectType", e.SubjectType);
            json.WriteString("subjectId", e.SubjectId);
            json.WriteString("teamId", e.TeamId?.ToString("D"));
            json.WriteString("before", e.Before);
            json.WriteString("after", e.After);
            json.WriteString("correlationId", e.CorrelationId);
            json.WriteString("clientAddress", e.ClientAddress);
            json.WriteString("hash", Convert.ToHexStringLower(e.Hash));
            json.WriteEndObject();
            if (json.BytesPending > 1 << 16)
                await json.FlushAsync(ct);
        }
        json.WriteEndArray();
        json.WriteEndObject();
    }

    /// <summary>Reads an export; a malformed file yields a message naming the event and field, never an exception.</summary>
    public static (List<AuditEvent>? Events, string? Error) Read(Stream input, string source)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(input);
        }
        catch (JsonException e)
        {
            return (null, $"{source}: not an audit export (invalid JSON at line {(e.LineNumber ?? 0) + 1}).");
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("format", out var format) || format.ValueKind != JsonValueKind.String || format.GetString() != Format)
                return (null, $"{source}: not an audit export (\"format\" must be \"{Format}\").");
            if (!root.TryGetProperty("events", out var list) || list.ValueKind != JsonValueKind.Array)
                return (null, $"{source}: \"events\" must be an array.");
            var events = new List<AuditEvent>(list.GetArrayLength());
            var index = 0;
            foreach (var item in list.EnumerateArray())
            {
                var (e, error) = ReadEvent(item);
                if (error is not null)
                    return (null, $"{source}: event #{index + 1}: {error}");
                events.Add(e!);
                index++;
            }
            return (events, null);
        }
    }

    private static (AuditEvent?, string?) ReadEvent(JsonElement item)
    {
        if (item.ValueKind != JsonValueKind.Object)
            return (null, "must be an object.");
        if (!item.TryGetProperty("sequence", out var sequence) || !sequence.TryGetInt64(out var seq))
            return (null, "\"sequence\" must be a whole number.");
        if (Text(item, "occurredAt") is not { } at || !DateTimeOffset.TryParseExact(at, "yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var occurredAt))
            return (null, "\"occurredAt\" must be a UTC time like 2026-01-31T12:00:00.000Z.");
        if (!Enum.TryParse<ActorKind>(Text(item, "actorKind"), out var kind) || !Enum.IsDefined(kind))
            return (null, "\"actorKind\" must be User, ServicePrincipal, Job or System.");
        foreach (var required in new[] { "actorId", "actorName", "action", "subjectType", "subjectId" })
        {
            if (Text(item, required) is null)
                return (null, $"\"{required}\" is required.");
        }
        Guid? teamId = null;
        if (Text(item, "teamId") is { } team)
        {
            if (!Guid.TryParseExact(team, "D", out var id))
                return (null, "\"teamId\" must be a GUID or null.");
            teamId = id;
        }
        byte[] hash;
        try
        {
            hash = Text(item, "hash") is { Length: 64 } hex ? Convert.FromHexString(hex) : throw new FormatException();
        }
        catch (FormatException)
        {
            return (null, "\"hash\" must be 64 hexadecimal characters.");
        }
        return (new AuditEvent
        {
            Sequence = seq, OccurredAt = occurredAt, ActorKind = kind, ActorId = Text(item, "actorId")!, ActorName = Text(item, "actorName")!,
            Action = Text(item, "action")!, SubjectType = Text(item, "subjectType")!, SubjectId = Text(item, "subjectId")!, TeamId = teamId,
            Before = Text(item, "before"), After = Text(item, "after"), CorrelationId = Text(item, "correlationId"),
            ClientAddress = Text(item, "clientAddress"), Hash = hash,
        }, null);
    }

    private static string? Text(JsonElement item, string name) =>
        item.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
