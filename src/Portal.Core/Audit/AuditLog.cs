using System.Text.Json;
using System.Text.Json.Serialization;
using Portal.Core.Common;
using Portal.Core.Data;

namespace Portal.Core.Audit;

/// <summary>
/// Adds an audit event to the same unit of work as the change it records, so both commit or
/// neither does.
/// </summary>
public static class AuditLog
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter() },
    };

    public static AuditEvent Record(
        this PortalDbContext db,
        Actor actor,
        DateTimeOffset at,
        string action,
        string subjectType,
        string subjectId,
        Guid? teamId = null,
        object? before = null,
        object? after = null)
    {
        var entry = new AuditEvent
        {
            OccurredAt = at,
            ActorKind = actor.Kind,
            ActorId = actor.Id,
            ActorName = actor.Name,
            Action = action,
            SubjectType = subjectType,
            SubjectId = subjectId,
            TeamId = teamId,
            Before = before is null ? null : JsonSerializer.Serialize(before, Json),
            After = after is null ? null : JsonSerializer.Serialize(after, Json),
            CorrelationId = actor.CorrelationId,
            ClientAddress = actor.ClientAddress,
        };
        db.AuditEvents.Add(entry);
        return entry;
    }
}
