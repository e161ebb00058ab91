namespace Portal.Core.Teams;

/// <summary>
/// Told after a user's access was reduced (disabled, membership removed), so whatever holds that
/// user's state open (Blazor circuits) re-checks it at once instead of at the next interval.
/// </summary>
public interface IUserAccessChanges
{
    Task AccessChangedAsync(Guid userId);
}
