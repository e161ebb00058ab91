namespace Portal.Core.Data;

/// <summary>An ASP.NET Data Protection key, kept in the database so every portal instance shares it.</summary>
public sealed class DataProtectionKeyRecord
{
    public int Id { get; set; }
    public string? FriendlyName { get; set; }
    public required string Xml { get; set; }
}
