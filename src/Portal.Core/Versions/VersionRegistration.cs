using Portal.Core.Access;
using Microsoft.EntityFrameworkCore;
using Portal.Core.Assets;
using Portal.Core.Audit;
using Portal.Core.Common;
using Portal.Core.Data;
using Portal.Core.Lineage;
using Portal.Core.Teams;

namespace Portal.Core.Versions;
public sealed record UpstreamReference(LineageKind Kind, string Team, string Asset, string Version);

public sealed record VersionInput(
    string Version,
    string? Description = null,
    IReadOnlyList<string>? Tags = null,
    IReadOnlyDictionary<string, string>? Parameters = null,
    IReadOnlyList<UpstreamReference>? Lineage = null,
    string? GitRepository = null,
    string? GitCommit = null,
    string? ContainerImageDigest = null,
    string? PipelineRunUrl = null,
    string? ExternalUri = null,
    string? ExternalHash = null,
    IReadOnlyList<string>? PromptVariables = null,
    long? RowCount = null,
    IReadOnlyDictionary<string, string>? Schema = null);

/// <summary>Registration of a version: validation, lineage and the idempotent create.</summary>
public sealed partial class VersionService
{
    public async Task<Result<VersionDetail>> CreateAsync(CallerAccess caller, string team, string asset, VersionInput input, string? idempotencyKey = null, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var found = await RegistryAccess.FindAsync(db, caller, team, asset, PortalAction.RegisterAssets, ct);
        if (!found.IsSuccess)
            return found.Error!;
        var replay = await Idempotency.FindAsync(db, caller, found.Value.Team.Id, idempotencyKey, "version.create:" + found.Value.Asset.Id, input, ct);
        if (replay is { } known)
            return known.Error ?? (Result<VersionDetail>)await DetailAsync(db, caller, team, known.ResourceId, ct);
        var parsed = AssetVersion.ParseVersion(input.Version);
        if (!parsed.IsSuccess)
            return parsed.Error!;
        if (Validate(input) is { } invalid)
            return invalid;
        var assetId = found.Value.Asset.Id;
        var text = parsed.Value.ToString();

        var now = clock.GetUtcNow();
        var version = AssetVersion.Create(found.Value.Team.Id, assetId, parsed.Value, caller.Actor.Name, caller.Actor.Id, now);
        version.Description = input.Description?.Trim() ?? "";
        version.Tags = AssetService.Normalize(input.Tags);
        version.Parameters = new Dictionary<string, string>(input.Parameters ?? new Dictionary<string, string>());
        version.GitRepository = input.GitRepository;
        version.GitCommit = input.GitCommit?.ToLowerInvariant();
        version.ContainerImageDigest = input.ContainerImageDigest;
        version.PipelineRunUrl = input.PipelineRunUrl;
        version.ExternalUri = input.ExternalUri;
        version.ExternalHash = input.ExternalHash;
        version.PromptVariables = (input.PromptVariables ?? []).Select(v => v.Trim()).Distinct().ToList();
        version.RowCount = input.RowCount;
        version.Schema = new Dictionary<string, string>(input.Schema ?? new Dictionary<string, string>());
        db.Versions.Add(version);

        var edges = new List<object>();
        var linked = new HashSet<(Guid, LineageKind)>();
        // Edges are fixed at registration and point only at versions that already exist, so the only
        // cycle a registration could close is a version naming itself: refuse that by name.
        foreach (var reference in input.Lineage ?? [])
        {
            if (NamesItself(reference, found.Value.Team.Slug, found.Value.Asset.Name, text))
                return RegistryErrors.LineageCycle($"{reference.Team}/{reference.Asset}@{reference.Version}");
            var upstream = await FindUpstreamAsync(db, caller, reference, ct);
            if (upstream is null)
                return RegistryErrors.UpstreamNotFound($"{reference.Team}/{reference.Asset}@{reference.Version}");
            // The same source named twice (perhaps spelt differently) is one edge.
            if (!linked.Add((upstream.Value, reference.Kind)))
                continue;
            db.LineageEdges.Add(new LineageEdge { VersionId = version.Id, UpstreamVersionId = upstream.Value, Kind = reference.Kind });
            edges.Add(new { reference.Kind, reference.Team, reference.Asset, reference.Version });
        }
        Idempotency.Remember(db, caller, found.Value.Team.Id, idempotencyKey, "version.create:" + assetId, input, version.Id, now);
        db.Record(caller.Actor, now, "version.registered", "version", version.Id.ToString(), found.Value.Team.Id,
            after: new { Asset = asset, version.Version, version.Parameters, version.Tags, Lineage = edges, version.GitRepository, version.GitCommit });
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (UniqueViolationException)
        {
            // The version number is taken (the unique index is the one check: a read before the save would cost every registration a
            // round trip to spare the rare duplicate one), or a concurrent retry with the same key won the race. Read on the same
            // context (a request holds one connection at a time), with the refused rows forgotten.
            db.ChangeTracker.Clear();
            var raced = await Idempotency.FindAsync(db, caller, found.Value.Team.Id, idempotencyKey, "version.create:" + assetId, input, ct);
            return raced is { Error: null } r ? await DetailAsync(db, caller, team, r.ResourceId, ct) : RegistryErrors.VersionExists;
        }
        // A version just registered has no files and nothing downstream yet: without lineage, everything the answer shows is at hand.
        return edges.Count == 0 ? Detail(caller, team, found.Value.Asset, version, [], [], []) : await DetailAsync(db, caller, team, version.Id, ct);
    }

    private static bool NamesItself(UpstreamReference reference, string team, string asset, string version) =>
        string.Equals(reference.Team, team, StringComparison.OrdinalIgnoreCase)
        && string.Equals(reference.Asset, asset, StringComparison.OrdinalIgnoreCase)
        && (AssetVersion.ParseVersion(reference.Version) is { IsSuccess: true } parsed ? parsed.Value.ToString() : reference.Version) == version;

    private static async Task<Guid?> FindUpstreamAsync(PortalDbContext db, CallerAccess caller, UpstreamReference reference, CancellationToken ct)
    {
        // Team slugs are lower-case: "MARKETING" names the same team on every provider, whatever its collation.
        var found = await RegistryAccess.FindAsync(db, caller, reference.Team.Trim().ToLowerInvariant(), reference.Asset, PortalAction.ReadAsset, ct);
        if (!found.IsSuccess)
            return null;
        var assetId = found.Value.Asset.Id;
        var normalized = AssetVersion.ParseVersion(reference.Version) is { IsSuccess: true } p ? p.Value.ToString() : reference.Version;
        return await db.Versions.Where(v => v.AssetId == assetId && v.Version == normalized && v.Status == VersionStatus.Ready)
            .Select(v => (Guid?)v.Id).SingleOrDefaultAsync(ct);
    }

    private static Error? Validate(VersionInput input)
    {
        var fields = new Dictionary<string, string[]>();
        var tags = AssetService.Normalize(input.Tags);
        if (Asset.TagError(tags) is { } tagError)
            fields["tags"] = [tagError];
        if ((input.Description ?? "").Length > Asset.MaxDescriptionLength)
            fields["description"] = [$"At most {Asset.MaxDescriptionLength} characters."];
        else if (Names.TextProblem(input.Description) is { } description)
            fields["description"] = [description];
        if (input.Parameters is { } parameters && (parameters.Count > AssetVersion.MaxParameters
            || parameters.Any(p => p.Key.Length is 0 or > 100 || p.Value is null || p.Value.Length > 2000)))
            fields["parameters"] = [$"At most {AssetVersion.MaxParameters} parameters; keys 1-100 characters, values at most 2000."];
        else if (input.Parameters is { } named && named.Any(p => Names.HasUnsafeCharacters(p.Key) || Names.TextProblem(p.Value) is not null))
            fields["parameters"] = ["Parameter keys: " + Names.UnsafeMessage + " Values: printable text, tabs and line breaks."];
        if (input.PromptVariables is { } variables && (variables.Count > 100 || variables.Any(v => !System.Text.RegularExpressions.Regex.IsMatch(v.Trim(), "^[A-Za-z_][A-Za-z0-9_]{0,63}$"))))
            fields["promptVariables"] = ["Up to 100 variable names: letters, digits and underscores, not starting with a digit."];
        if (input.RowCount is < 0)
            fields["rowCount"] = ["A row count cannot be negative."];
        if (input.Schema is { } schema && (schema.Count > 2000 || schema.Any(c => c.Key.Length is 0 or > 200 || c.Value is null || c.Value.Length > 100)))
            fields["schema"] = ["At most 2000 columns; names 1-200 characters, types at most 100."];
        else if (input.Schema is { } columns && columns.Any(c => Names.HasUnsafeCharacters(c.Key) || Names.HasUnsafeCharacters(c.Value)))
            fields["schema"] = ["Column names and types: " + Names.UnsafeMessage];
        if (SafeUri.Problem(input.GitRepository, SafeUri.RepositorySchemes, AssetVersion.MaxGitRepositoryLength) is { } repo)
            fields["gitRepository"] = [repo];
        if (input.GitCommit is { } commit && !System.Text.RegularExpressions.Regex.IsMatch(commit, "^[0-9a-fA-F]{7,64}$"))
            fields["gitCommit"] = ["A git commit is 7-64 hexadecimal characters."];
        if (input.ContainerImageDigest is { } digest && !System.Text.RegularExpressions.Regex.IsMatch(digest, "^sha256:[0-9a-f]{64}$"))
            fields["containerImageDigest"] = ["An image digest looks like sha256:<64 hex>."];
        if (SafeUri.Problem(input.PipelineRunUrl, SafeUri.WebSchemes) is { } run)
            fields["pipelineRunUrl"] = [run];
        if (SafeUri.Problem(input.ExternalUri, SafeUri.DataSchemes) is { } uri)
            fields["externalUri"] = [uri];
        if ((input.ExternalUri is null) != (input.ExternalHash is null))
            fields["externalHash"] = ["An external reference needs both a location and a content hash."];
        else if (input.ExternalHash is { } hash && !System.Text.RegularExpressions.Regex.IsMatch(hash, "^(md5:[0-9a-f]{32}|sha256:[0-9a-f]{64}|etag:[0-9A-Za-z\"-]{1,100}|version:[0-9A-Za-z._-]{1,100})$"))
            fields["externalHash"] = ["Use md5:<32 hex>, sha256:<64 hex>, etag:<value> or version:<object version id>."];
        return fields.Count == 0 ? null : Error.Validation("version.invalid", "The version has invalid fields.", fields);
    }
}
