using System.Globalization;
using System.Text;
using CsvHelper;
using Portal.Core.Lineage;
using Portal.Web.Auth;
using static Portal.Web.Api.ApiRequest;

namespace Portal.Web.Api;

/// <summary>Lineage around a version, and what in Staging or Production depends on a version, commit or image.</summary>
internal static class LineageEndpoints
{
    public static void MapLineageEndpoints(this RouteGroupBuilder registry)
    {
        const string versionPath = RegistryEndpoints.VersionPath;
        registry.MapGet(versionPath + "/lineage", GetLineageAsync).WithName("GetVersionLineage")
            .WithSummary("Upstream and downstream, transitively (?direction=upstream|downstream|both&depth=1..25); versions you may not see are one nameless restricted node.");
        registry.MapGet(versionPath + "/impact", GetImpactAsync).WithName("GetVersionImpact")
            .WithSummary("Staging and Production versions that depend on this version, directly or transitively (?format=csv for a spreadsheet-safe CSV).");
        registry.MapGet(versionPath + "/manifest", async (string team, string asset, string version, HttpContext ctx, CallerResolver r, ReproducibilityService s) =>
                Answer(await s.GetAsync(await CallerAsync(ctx, r), team, asset, version, ctx.RequestAborted)))
            .WithName("GetReproducibilityManifest")
            .WithSummary("Everything recorded to rebuild the version: commit, image, pipeline run, parameters, artifacts and exact upstream versions with hashes.");
        registry.MapGet("/lineage/impact", SearchImpactAsync).WithName("SearchImpact")
            .WithSummary("Staging and Production versions built from a commit or container image (?commit= or ?image=), directly or transitively.");
    }

    private static async Task<IResult> GetLineageAsync(string team, string asset, string version, string? direction, int? depth,
        HttpContext ctx, CallerResolver resolver, LineageGraphService lineage)
    {
        if (!Enum.TryParse<LineageDirection>(direction ?? "both", ignoreCase: true, out var parsed) || !Enum.IsDefined(parsed))
            return Portal.Core.Common.Paging.Invalid(new Dictionary<string, string[]> { ["direction"] = ["upstream, downstream or both."] }).ToResult();
        return Answer(await lineage.GetAsync(await CallerAsync(ctx, resolver), team, asset, version, parsed, depth ?? LineageGraphService.DefaultDepth, ctx.RequestAborted));
    }

    private static async Task<IResult> GetImpactAsync(string team, string asset, string version, string? format, HttpContext ctx, CallerResolver resolver, LineageGraphService lineage) =>
        FormatProblem(format) ?? Answer(await lineage.ImpactAsync(await CallerAsync(ctx, resolver), team, asset, version, ctx.RequestAborted),
            impacted => format == "csv" ? Csv(impacted, $"impact-{asset}-{version}.csv") : Results.Ok(impacted));

    private static async Task<IResult> SearchImpactAsync(string? commit, string? image, string? format, HttpContext ctx, CallerResolver resolver, LineageGraphService lineage) =>
        FormatProblem(format) ?? Answer(await lineage.ImpactOfSourceAsync(await CallerAsync(ctx, resolver), commit, image, ctx.RequestAborted),
            impacted => format == "csv" ? Csv(impacted, "impact.csv") : Results.Ok(impacted));

    private static IResult? FormatProblem(string? format) => format is null or "json" or "csv" ? null
        : Portal.Core.Common.Paging.Invalid(new Dictionary<string, string[]> { ["format"] = ["json (the default) or csv."] }).ToResult();

    private static IResult Csv(IEnumerable<ImpactedVersion> rows, string fileName) =>
        Results.File(Encoding.UTF8.GetBytes(ImpactCsv.Write(rows)), "text/csv; charset=utf-8", fileName);
}

/// <summary>
/// The impact list as CSV. CsvHelper escapes cells that start with = + - @ tab or carriage return, so
/// no cell can be read by a spreadsheet as a formula, whatever names the registry holds later.
/// </summary>
public static class ImpactCsv
{
    public static string Write(IEnumerable<ImpactedVersion> rows)
    {
        var options = new CsvWriterOptions { Injection = CsvInjection.Escape, FormatProvider = CultureInfo.InvariantCulture };
        using var text = new StringWriter(CultureInfo.InvariantCulture);
        using (var csv = CsvWriter.Create(text, options, true))
        {
            foreach (var header in (string[])["team", "asset", "kind", "version", "stage", "distance", "via"])
                csv.WriteField(header);
            csv.EndRecord();
            foreach (var row in rows)
            {
                foreach (var cell in (string[])[row.Team, row.Asset, row.AssetKind.ToString(), row.Version, row.Stage.ToString(),
                    row.Distance.ToString(CultureInfo.InvariantCulture), row.Via])
                    csv.WriteField(cell);
                csv.EndRecord();
            }
            csv.Flush();
        }
        return text.ToString();
    }
}
