using Portal.Core.Access;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Portal.Core.Audit;
using Portal.Core.Assets;
using Portal.Core.Common;
using Portal.Core.Data;
using Portal.Core.Teams;

namespace Portal.Core.Versions;

public sealed record MetricInput(string Name, double Value, string? Slice = null, long? Step = null, MetricSource Source = MetricSource.Evaluation);

public sealed record MetricView(string Name, double Value, string Slice, long? Step, MetricSource Source, DateTimeOffset RecordedAt, string RecordedBy);

public sealed partial class MetricService(IDbContextFactory<PortalDbContext> dbFactory, TimeProvider clock)
{
    public const int MaxPerRequest = 1000;

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9_./-]{0,99}$")]
    private static partial Regex NamePattern();

    [GeneratedRegex("^[A-Za-z0-9_.-]{1,50}=[^,=]{1,50}(,[A-Za-z0-9_.-]{1,50}=[^,=]{1,50})*$")]
    private static partial Regex SlicePattern();

    /// <summary>Appends metrics in one transaction: all of them or, on any invalid entry, none.</summary>
    public async Task<Result<int>> LogAsync(CallerAccess caller, string team, string asset, string version, IReadOnlyList<MetricInput> metrics, CancellationToken ct = default)
    {
        if (metrics.Count is 0 or > MaxPerRequest)
            return Error.Validation("metric.invalid", $"Send between 1 and {MaxPerRequest} metrics.");
        var fields = new Dictionary<string, string[]>();
        for (var i = 0; i < metrics.Count; i++)
        {
            var m = metrics[i];
            if (m is null)
            {
                fields[$"metrics[{i}]"] = ["An item cannot be null."];
                continue;
            }
            if (Names.Problem(m.Name) is { } unsafeName)
                fields[$"metrics[{i}].name"] = [unsafeName];
            else if (!NamePattern().IsMatch(m.Name ?? ""))
                fields[$"metrics[{i}].name"] = ["1-100 letters, digits, _ . / -, starting with a letter or digit."];
            if (!double.IsFinite(m.Value))
                fields[$"metrics[{i}].value"] = ["A finite number."];
            if (Names.Problem(m.Slice) is { } unsafeSlice)
                fields[$"metrics[{i}].slice"] = [unsafeSlice];
            else if (!string.IsNullOrEmpty(m.Slice) && (m.Slice.Length > 200 || !SlicePattern().IsMatch(m.Slice)))
                fields[$"metrics[{i}].slice"] = ["Like sex=female or region=eu,age=18-25 (at most 200 characters)."];
            if (!Enum.IsDefined(m.Source))
                fields[$"metrics[{i}].source"] = ["Training, Evaluation, GoldenCheck or Production."];
        }
        if (fields.Count > 0)
            return Error.Validation("metric.invalid", "Some metrics are invalid; none were recorded.", fields);

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        // Golden-check and production figures are evidence the gates rely on: people cannot write them.
        var evidence = metrics.Count(m => m.Source is MetricSource.GoldenCheck or MetricSource.Production);
        var found = await RegistryAccess.FindVersionAsync(db, caller, team, asset, version,
            evidence == metrics.Count ? PortalAction.RecordEvidence : PortalAction.RegisterAssets, ct);
        if (!found.IsSuccess)
            return found.Error!;
        if (evidence > 0 && AccessGate.Check(caller, PortalAction.RecordEvidence, team) is { } denied)
            return denied;
        var v = found.Value.Version;
        if (v.Status == VersionStatus.Abandoned)
            return Error.Conflict("version.abandoned", "The version was abandoned; it takes no more metrics.");
        var now = clock.GetUtcNow();
        db.Metrics.AddRange(metrics.Select(m => new Metric
        {
            VersionId = v.Id, Name = m.Name, Value = m.Value, Slice = m.Slice ?? "", Step = m.Step, Source = m.Source, RecordedAt = now, RecordedBy = caller.Actor.Name,
        }));
        db.Record(caller.Actor, now, "metrics.logged", "version", v.Id.ToString(), found.Value.TeamId,
            after: new { Count = metrics.Count, Names = metrics.Select(m => m.Name).Distinct().Order().ToList() });
        await db.SaveChangesAsync(ct);
        return metrics.Count;
    }

    public async Task<Result<IReadOnlyList<MetricView>>> ListAsync(CallerAccess caller, string team, string asset, string version, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var found = await RegistryAccess.FindVersionAsync(db, caller, team, asset, version, PortalAction.ReadAsset, ct);
        if (!found.IsSuccess)
            return found.Error!;
        var id = found.Value.Version.Id;
        var rows = await db.Metrics.AsNoTracking().Where(m => m.VersionId == id)
            .OrderBy(m => m.Name).ThenBy(m => m.Slice).ThenBy(m => m.Step).ThenBy(m => m.Id)
            .Take(10_000)
            .Select(m => new MetricView(m.Name, m.Value, m.Slice, m.Step, m.Source, m.RecordedAt, m.RecordedBy))
            .ToListAsync(ct);
        return Result<IReadOnlyList<MetricView>>.From(rows);
    }
}
