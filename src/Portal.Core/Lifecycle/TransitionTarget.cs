using Portal.Core.Common;

namespace Portal.Core.Lifecycle;

/// <summary>A parsed target: a stage, or an alias by name.</summary>
public sealed record TransitionTarget(Stage? Stage, string? Alias)
{
    public override string ToString() => Stage?.ToString() ?? TransitionRequest.AliasPrefix + Alias;

    public static Result<TransitionTarget> Parse(string? text)
    {
        var value = text?.Trim() ?? "";
        if (value.StartsWith(TransitionRequest.AliasPrefix, StringComparison.OrdinalIgnoreCase))
        {
            var alias = value[TransitionRequest.AliasPrefix.Length..];
            return Slug.IsValid(alias) ? new TransitionTarget(null, alias) : LifecycleErrors.AliasInvalid;
        }
        return Enum.TryParse<Stage>(value, ignoreCase: true, out var stage) && stage != Lifecycle.Stage.None && Enum.IsDefined(stage) && !int.TryParse(value, out _)
            ? new TransitionTarget(stage, null)
            : LifecycleErrors.InvalidTarget(value);
    }

    /// <summary>The moves the lifecycle allows; anything else is refused before any policy runs.</summary>
    public static bool IsAllowed(Stage from, Stage to) => (from, to) switch
    {
        (Lifecycle.Stage.None or Lifecycle.Stage.Archived, Lifecycle.Stage.Staging) => true,
        (Lifecycle.Stage.Staging, Lifecycle.Stage.Production) => true,
        (Lifecycle.Stage.Staging or Lifecycle.Stage.Production, Lifecycle.Stage.Archived) => true,
        _ => false,
    };
}
