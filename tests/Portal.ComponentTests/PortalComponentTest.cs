using Bunit;
using MudBlazor.Services;

namespace Portal.ComponentTests;

/// <summary>The shared bUnit base: MudBlazor services and loose JS interop, as in MudBlazor's own tests.</summary>
public abstract class PortalComponentTest : BunitContext
{
    protected PortalComponentTest()
    {
        JSInterop.Mode = JSRuntimeMode.Loose;
        Services.AddMudServices();
    }
}
