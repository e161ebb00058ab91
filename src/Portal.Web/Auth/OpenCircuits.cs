using System.Collections.Concurrent;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server.Circuits;
using Portal.Core.Teams;

namespace Portal.Web.Auth;

/// <summary>
/// The open Blazor circuits of each signed-in user, so that disabling a user or removing a
/// membership revalidates their open pages at once instead of at the next revalidation interval.
/// </summary>
public sealed class OpenCircuits(ILogger<OpenCircuits> logger) : IUserAccessChanges
{
    private readonly ConcurrentDictionary<Guid, ConcurrentDictionary<RevalidatingPortalAuthenticationStateProvider, byte>> _byUser = new();

    public IDisposable Track(Guid userId, RevalidatingPortalAuthenticationStateProvider circuit)
    {
        _byUser.GetOrAdd(userId, _ => new()).TryAdd(circuit, 0);
        return new Tracking(this, userId, circuit);
    }

    public int CountFor(Guid userId) => _byUser.TryGetValue(userId, out var circuits) ? circuits.Count : 0;

    public async Task AccessChangedAsync(Guid userId)
    {
        if (!_byUser.TryGetValue(userId, out var circuits))
            return;
        foreach (var circuit in circuits.Keys)
        {
            try
            {
                await circuit.RevalidateNowAsync(CancellationToken.None);
            }
            catch (Exception ex)
            {
                // The change is committed; the circuit's own periodic revalidation still catches it within the interval.
                logger.LogWarning(ex, "Could not revalidate an open circuit of user {UserId} at once", userId);
            }
        }
    }

    private void Untrack(Guid userId, RevalidatingPortalAuthenticationStateProvider circuit)
    {
        if (_byUser.TryGetValue(userId, out var circuits) && circuits.TryRemove(circuit, out _) && circuits.IsEmpty)
            _byUser.TryRemove(KeyValuePair.Create(userId, circuits));
    }

    private sealed class Tracking(OpenCircuits owner, Guid userId, RevalidatingPortalAuthenticationStateProvider circuit) : IDisposable
    {
        public void Dispose() => owner.Untrack(userId, circuit);
    }
}

/// <summary>Registers each circuit of a signed-in user with <see cref="OpenCircuits"/> for as long as it lives.</summary>
public sealed class AccessTrackingCircuitHandler(OpenCircuits circuits, AuthenticationStateProvider authState) : CircuitHandler, IDisposable
{
    private IDisposable? _tracking;

    public override async Task OnCircuitOpenedAsync(Circuit circuit, CancellationToken cancellationToken)
    {
        if (authState is RevalidatingPortalAuthenticationStateProvider provider
            && (await provider.GetAuthenticationStateAsync()).User.GetUserId() is { } userId)
            _tracking = circuits.Track(userId, provider);
    }

    // The circuit's scope disposes its handlers when the circuit ends, however it ends.
    public void Dispose() => _tracking?.Dispose();
}

public static class CircuitAccessSetup
{
    public static void AddCircuitAccessRevalidation(this IServiceCollection services)
    {
        services.AddSingleton<OpenCircuits>();
        services.AddSingleton<IUserAccessChanges>(sp => sp.GetRequiredService<OpenCircuits>());
        services.AddScoped<CircuitHandler, AccessTrackingCircuitHandler>();
    }
}
