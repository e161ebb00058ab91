using Portal.Core.Common;
using Portal.Core.Policies;

namespace Portal.Core.Lifecycle;

/// <summary>The stable error codes of the lifecycle, documented in the API reference.</summary>
public static class LifecycleErrors
{
    public static Error NotFound(long id) => Error.NotFound("transition.not-found", $"There is no transition request {id} that you can see.");
    public static Error InvalidTarget(string target) => Error.Validation("transition.invalid-target",
        $"'{target}' is not a target: use Staging, Production, Archived or alias:<name>.", new Dictionary<string, string[]> { ["target"] = ["Staging, Production, Archived or alias:<name>."] });
    public static Error InvalidMove(Stage from, Stage to) => Error.Conflict("transition.invalid",
        $"A version in {from} cannot move to {to}. The way is None → Staging → Production → Archived (and back to Staging from Archived).");
    public static readonly Error NotReady = Error.Conflict("transition.version-not-ready", "Only a finalized (Ready) version enters a stage or takes an alias.");
    public static readonly Error InColdStore = Error.Conflict("transition.version-archived",
        "This version was archived and its files wait in the cold store: restore it first (its Lifecycle tab, or POST …/restore), then ask again.");
    public static readonly Error Duplicate = Error.Conflict("transition.duplicate", "This version already has a pending request for this target.");
    public static Error Closed(TransitionState state) => Error.Conflict("transition.closed", $"The request is already {state.ToString().ToLowerInvariant()}; nothing more can be decided on it.");
    public static readonly Error Expired = Error.Conflict("transition.expired", "The request waited too long and has expired; ask again.");
    /// <summary>
    /// The one rule for what people write on a request: its justification (optional), a decision's comment and a rollback's reason
    /// (required). Each is kept whole in a column of <see cref="MaxTextLength"/> and shown back as text, so printable characters only.
    /// </summary>
    public static bool TextFits(string? text) => (text?.Length ?? 0) <= MaxTextLength && Names.TextProblem(text) is null;

    public static bool RequiredTextFits([System.Diagnostics.CodeAnalysis.NotNullWhen(true)] string? text) => !string.IsNullOrWhiteSpace(text) && TextFits(text);

    public const int MaxTextLength = 2000;

    public static readonly Error CommentRequired = Error.Validation("transition.comment-required", "Say why: approving and rejecting need a comment.",
        new Dictionary<string, string[]> { ["comment"] = ["A comment of 1 to 2000 characters: printable text, tabs and line breaks."] });
    public static readonly Error JustificationInvalid = Error.Validation("transition.invalid",
        "The justification may have at most 2000 characters: printable text, tabs and line breaks.",
        new Dictionary<string, string[]> { ["justification"] = ["At most 2000 characters: printable text, tabs and line breaks."] });
    public static readonly Error SelfApproval = Error.Forbidden("transition.separation-of-duties",
        "You made this request or registered this version: someone else must decide it.");
    public static readonly Error NotRequester = Error.Forbidden("transition.not-requester", "Only the person who made the request can cancel it.");
    public static readonly Error AlreadyDecided = Error.Conflict("transition.already-decided", "You already decided this request; a decision counts once.");
    public static readonly Error Raced = Error.Conflict("transition.conflict", "Someone else decided or changed this at the same moment and won. Reload to see the outcome.");
    public static readonly Error ProductionTaken = Error.Conflict("stage.production-taken",
        "Another version of this asset reached Production at the same moment. Reload; request again if this one should replace it.");

    public static Error PolicyFailed(IEnumerable<RuleResult> failures)
    {
        var fields = failures.ToDictionary(r => $"{r.Policy}/{r.Rule}",
            r => new[] { r.Explanation + (r.Values.Count > 0 ? " (" + string.Join(", ", r.Values.Select(v => $"{v.Key}={v.Value}")) + ")" : "") });
        return new Error("policy.failed", "The policy gate refused the transition: " + string.Join("; ", fields.Keys) + ".", ErrorKind.Conflict) { Fields = fields };
    }

    public static readonly Error AliasProtected = Error.Conflict("alias.protected",
        "This alias is protected: it moves only through a transition request and its approvals.");
    public static Error AliasNotFound(string alias) => Error.NotFound("alias.not-found", $"This asset has no alias '{alias}'.");
    public static readonly Error AliasInvalid = Error.Validation("alias.invalid", "An alias is a slug: lower-case letters, digits and inner dashes, at most 64 characters.",
        new Dictionary<string, string[]> { ["alias"] = ["Lower-case letters, digits and inner dashes."] });
    public static readonly Error NoRollbackTarget = Error.Conflict("rollback.unavailable", "There is no earlier Production version to restore.");
    public static readonly Error ReasonRequired = Error.Validation("rollback.reason-required", "Say why you roll back: a reason is required.",
        new Dictionary<string, string[]> { ["reason"] = ["A reason of 1 to 2000 characters: printable text, tabs and line breaks."] });
}
