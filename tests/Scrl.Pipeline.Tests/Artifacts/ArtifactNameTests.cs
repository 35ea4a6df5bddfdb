using Scrl.Pipeline.Artifacts;

namespace Scrl.Pipeline.Tests.Artifacts;

public sealed class ArtifactNameTests
{
    [Theory]
    [InlineData("runs/r1/pretrain/step-000500.ckpt")]
    [InlineData("datasets/0123456789abcdef/shards/000001.tar")]
    [InlineData("a")]
    [InlineData("A_b-c.d/e.f")]
    [InlineData("x..y")]
    public void Validate_WellFormedName_ReturnsIt(string name) => Assert.Equal(name, ArtifactName.Validate(name));

    [Theory]
    [InlineData("../etc/passwd", "'..'")]
    [InlineData("runs/../../x", "'..'")]
    [InlineData("runs/./x", "'.'")]
    [InlineData("/etc/passwd", "empty segment")]
    [InlineData("runs/r1/", "empty segment")]
    [InlineData("runs//r1", "empty segment")]
    [InlineData("runs\\r1", "backslash")]
    [InlineData("C:/x", "':'")]
    [InlineData("runs/café", "U+00E9")]
    [InlineData("runs/r\u00201", "' '")]
    [InlineData("runs/.hidden", "reserved")]
    [InlineData("", "empty")]
    public void Validate_BadName_ThrowsWithReason(string name, string reason)
    {
        var error = Assert.Throws<ArgumentException>(() => ArtifactName.Validate(name));
        Assert.Contains(reason, error.Message);
        Assert.Equal("name", error.ParamName);
        Assert.False(ArtifactName.IsValid(name));
    }

    [Fact]
    public void Validate_TooLong_Throws()
    {
        string segment = new('a', ArtifactName.MaxSegmentLength);
        string name = string.Join('/', Enumerable.Repeat(segment, 5));
        Assert.Contains("maximum", Assert.Throws<ArgumentException>(() => ArtifactName.Validate(name)).Message);
        Assert.Contains("segment", Assert.Throws<ArgumentException>(() => ArtifactName.Validate(segment + "a")).Message);
    }

    [Fact]
    public void Run_BuildsArchitectureLayout() =>
        Assert.Equal("runs/r-42/roi-eval/result.json", ArtifactName.Run("r-42", "roi-eval", "result.json"));

    [Fact]
    public void Dataset_BuildsArchitectureLayout() =>
        Assert.Equal("datasets/00ff00ff00ff00ff/shards/000001.tar", ArtifactName.Dataset("00ff00ff00ff00ff", "shards/000001.tar"));

    [Theory]
    [InlineData("R1")]
    [InlineData("r_1")]
    [InlineData("")]
    [InlineData("r/1")]
    public void Run_BadRunId_ThrowsNamingRunId(string runId)
    {
        var error = Assert.Throws<ArgumentException>(() => ArtifactName.Run(runId, "pretrain", "x"));
        Assert.Equal("runId", error.ParamName);
        Assert.Contains("lowercase", error.Message);
    }

    [Fact]
    public void Run_RunIdOf64Characters_Throws() =>
        Assert.Throws<ArgumentException>(() => ArtifactName.ValidateRunId(new string('a', 64)));

    [Fact]
    public void Run_RelativePartWithTraversal_Throws() =>
        Assert.Throws<ArgumentException>(() => ArtifactName.Run("r1", "pretrain", "../../datasets/x"));

    [Theory]
    [InlineData("ABCDEF0123456789")]
    [InlineData("0123")]
    [InlineData("0123456789abcdeg")]
    public void Dataset_BadHash_Throws(string hash) =>
        Assert.Equal("contentHash", Assert.Throws<ArgumentException>(() => ArtifactName.Dataset(hash, "x")).ParamName);

    [Theory]
    [InlineData("")]
    [InlineData("runs/")]
    [InlineData("runs/r1/pre")]
    public void ValidatePrefix_AcceptsPartialNames(string prefix) => Assert.Equal(prefix, ArtifactName.ValidatePrefix(prefix));

    [Theory]
    [InlineData("/")]
    [InlineData("../")]
    [InlineData("runs//")]
    public void ValidatePrefix_RejectsBadPrefixes(string prefix) =>
        Assert.Throws<ArgumentException>(() => ArtifactName.ValidatePrefix(prefix));
}
