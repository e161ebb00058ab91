using Portal.Core.Artifacts;

namespace Portal.UnitTests.Artifacts;

public sealed class ArtifactPathTests
{
    [Theory]
    [InlineData("model.onnx")]
    [InlineData("model/weights/part-0001.bin")]
    [InlineData("data/train split.csv")]
    public void Relative_paths_are_accepted(string path) => Assert.Equal(path, ArtifactPath.Normalize(path).Value);

    [Theory]
    [InlineData("../etc/passwd")]
    [InlineData("a/../../b")]
    [InlineData("./x")]
    [InlineData("/etc/passwd")]
    [InlineData("C:/Windows")]
    [InlineData("a\\b")]
    [InlineData("a//b")]
    [InlineData("dir/")]
    [InlineData("name\u0000.bin")]
    [InlineData("line\nbreak")]
    [InlineData("..%2Fetc")]
    [InlineData(" leading")]
    [InlineData("")]
    public void Traversal_absolute_and_control_paths_are_refused(string path) =>
        Assert.Equal("artifact.path-invalid", ArtifactPath.Normalize(path).Error?.Code);

    [Theory]
    [InlineData("model.pkl", true)]
    [InlineData("nested/model.PICKLE", true)]
    [InlineData("model.joblib", true)]
    [InlineData("model.pt", true)]
    [InlineData("model.onnx", false)]
    [InlineData("data.csv", false)]
    public void Serialized_code_formats_are_flagged(string path, bool unsafeFormat) =>
        Assert.Equal(unsafeFormat, ArtifactPath.IsUnsafeFormat(path));
}
