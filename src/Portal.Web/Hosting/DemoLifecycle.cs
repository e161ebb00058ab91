using Portal.Core.Common;
using Portal.Core.Lifecycle;
using Portal.Core.Policies;
using Portal.Core.Teams;

namespace Portal.Web.Hosting;

/// <summary>
/// The embedded default's governance story, made through the same services people use: a global and
/// a Marketing policy, the churn model in Production with a Staging candidate waiting for Amara Obi,
/// and a Finance credit model that also needs a Model Risk approver.
/// </summary>
internal sealed class DemoLifecycle(PolicyService policies, TransitionService transitions, DecisionService decisions, AliasService aliases)
{
    // Demo people act under ids of their own ("demo:u-maya"): when the real Maya signs in she is another
    // person to separation of duties, and as a Contributor she cannot decide anything anyway.
    private static CallerAccess Person(string subject, string name, string team, TeamRole role, params GlobalRole[] globals) => new(
        new Actor(ActorKind.User, "demo:" + subject, name), globals.ToHashSet(),
        new Dictionary<string, TeamAccess> { [team] = new(Guid.Empty, team, team, role) });

    private static readonly CallerAccess Pat = Person("u-pat", "Pat Nakamura", "marketing", TeamRole.Viewer, GlobalRole.PlatformAdmin);
    private static readonly CallerAccess Tomas = Person("u-tomas", "Tomás Lindqvist", "marketing", TeamRole.TeamAdmin);
    private static readonly CallerAccess Maya = Person("u-maya", "Maya Contreras", "marketing", TeamRole.Contributor);
    private static readonly CallerAccess Amara = Person("u-amara", "Amara Obi", "marketing", TeamRole.Approver);
    private static readonly CallerAccess Henrik = Person("u-henrik", "Henrik Sørensen", "finance", TeamRole.TeamAdmin);
    private static readonly CallerAccess Farah = Person("u-farah", "Farah Haddad", "finance", TeamRole.Contributor);

    public async Task SeedAsync(CancellationToken ct)
    {
        Ensure(await policies.SaveGlobalAsync(Pat, """
            policy: production-minimum
            description: Every model in Production is checked by an approver and clears a floor.
            applies-to: { kinds: [Model], targets: [Production] }
            rules:
              - metric: accuracy
                at-least: 0.7
              - approvals: [{ count: 1, role: Approver }]
            """, ct: ct));
        Ensure(await policies.SaveAsync(Tomas, "marketing", """
            policy: marketing-production
            description: Customer-facing models must beat Production and stay fair across regions.
            applies-to: { kinds: [Model], tags: [customer-facing], targets: [Production, alias:champion] }
            rules:
              - metric: accuracy
                at-least: baseline + 0.01
              - fairness: { metric: accuracy, slice-key: region, max-difference: 0.05 }
              - lineage: { requires: [dataset-version] }
            """, ct: ct));
        Ensure(await policies.SaveAsync(Henrik, "finance", """
            policy: finance-model-risk
            description: Credit models need an independent Model Risk sign-off.
            applies-to: { kinds: [Model], tags: [risk], targets: [Production] }
            rules:
              - approvals: [{ count: 1, role: Approver }, { count: 1, role: Approver, team: risk }]
            """, ct: ct));

        Ensure(await transitions.RequestAsync(Maya, "marketing", "churn-classifier", "1.0.0", "Staging", "Baseline model for the retention campaign", ct));
        var first = Ensure(await transitions.RequestAsync(Maya, "marketing", "churn-classifier", "1.0.0", "Production", "Baseline model for the retention campaign", ct));
        Ensure(await decisions.DecideAsync(Amara, first.Id, true, "Validated on the January holdout; fairness across regions is fine.", ct));
        Ensure(await aliases.MoveAsync(Maya, "marketing", "churn-classifier", "champion", "1.0.0", ct));
        Ensure(await aliases.SetProtectedAsync(Tomas, "marketing", "churn-classifier", "champion", true, ct));
        Ensure(await transitions.RequestAsync(Maya, "marketing", "churn-classifier", "1.1.0", "Staging", "Retrained on February data", ct));
        Ensure(await transitions.RequestAsync(Maya, "marketing", "churn-classifier", "1.1.0", "Production",
            "Retrained on February data: +2.3 points accuracy, EU and US within 1 point of each other", ct));

        Ensure(await transitions.RequestAsync(Farah, "finance", "credit-risk-scorer", "3.2.0", "Staging", "Quarterly refresh", ct));
        Ensure(await transitions.RequestAsync(Farah, "finance", "credit-risk-scorer", "3.2.0", "Production", "Quarterly refresh; AUC 0.874 on the Q3 holdout", ct));
    }

    // Demo data that fails to seed is a bug in this file: stop start-up loudly rather than show half a demo.
    private static T Ensure<T>(Result<T> result) =>
        result.IsSuccess ? result.Value : throw new InvalidOperationException($"Demo lifecycle: {result.Error!.Code}: {result.Error.Message}");
}
