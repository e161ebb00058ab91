using System.Text.RegularExpressions;
using Portal.Core.Common;
using Portal.Core.Versions;
using YamlDotNet.Core;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace Portal.Infrastructure.Datasets;

/// <summary>Reads a DVC <c>.dvc</c> file (YAML). Only data is read: no tags, no object construction beyond plain fields.</summary>
public sealed partial class YamlDvcFileReader : IDvcFileReader
{
    private static readonly IDeserializer Yaml = new DeserializerBuilder()
        .WithNamingConvention(UnderscoredNamingConvention.Instance)
        .IgnoreUnmatchedProperties()
        .Build();

    [GeneratedRegex("^[0-9a-f]{32}(\\.dir)?$")]
    private static partial Regex Md5();

    public Result<DvcOutput> Read(string dvcFileText)
    {
        var invalid = Error.Validation("dvc.invalid", "This is not a .dvc file with one output (outs: - md5: …, path: …).");
        if (string.IsNullOrWhiteSpace(dvcFileText) || dvcFileText.Length > 64 * 1024)
            return invalid;
        DvcFile? file;
        try
        {
            file = Yaml.Deserialize<DvcFile>(dvcFileText);
        }
        catch (YamlException)
        {
            return invalid;
        }
        if (file?.Outs is not [var output] || output.Md5 is null || output.Path is null || !Md5().IsMatch(output.Md5))
            return invalid;
        return new DvcOutput(output.Md5.Replace(".dir", "", StringComparison.Ordinal), output.Size, output.Path);
    }

    private sealed class DvcFile
    {
        public List<DvcOut>? Outs { get; set; }
    }

    private sealed class DvcOut
    {
        public string? Md5 { get; set; }
        public long? Size { get; set; }
        public string? Path { get; set; }
    }
}
