using Scrl.Core.Models;

namespace Scrl.Core.Tests.Models;

public sealed class OfficialParameterNamesTests
{
    [Theory]
    [InlineData("online.encoder.conv1.weight", "encoder.0.weight")]
    [InlineData("online.encoder.bn1.weight", "encoder.1.weight")]
    [InlineData("online.encoder.layer1.0.bn1.bias", "encoder.4.0.bn1.bias")]
    [InlineData("online.encoder.layer4.0.downsample.1.weight", "encoder.7.0.downsample.1.weight")]
    [InlineData("target.encoder.layer3.1.conv2.weight", "encoder.6.1.conv2.weight")]
    [InlineData("online.projector.net.1.weight", "projector.net.1.weight")]
    [InlineData("predictor.net.3.weight", "net.3.weight")]
    [InlineData("classifier.bias", "linear.bias")]
    public void FromLearnerName_MapsToTheOfficialModuleLocalName(string ours, string official) =>
        Assert.Equal(official, OfficialParameterNames.FromLearnerName(ours));

    [Theory]
    [InlineData("online.encoder.fc.weight")]
    [InlineData("online.encoder.layer5.0.conv1.weight")]
    [InlineData("evaluator.linear.weight")]
    public void FromLearnerName_RejectsNamesOutsideTheLearner(string name) =>
        Assert.Throws<ArgumentException>(() => OfficialParameterNames.FromLearnerName(name));
}
