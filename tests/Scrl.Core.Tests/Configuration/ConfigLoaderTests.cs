using Scrl.Core.Configuration;
using Scrl.Core.Models;

namespace Scrl.Core.Tests.Configuration;

public class ConfigLoaderTests
{
    [Fact]
    public void Presets_ReproduceOfficialRecipes()
    {
        var scrl200 = ConfigLoader.Load("scrl_200ep");
        Assert.Equal(PretrainMethod.Scrl, scrl200.Method);
        Assert.Equal(ResNetVariant.ResNet50, scrl200.Network.Backbone);
        Assert.Equal((0.45, 1e-6, 0.97, 200), (scrl200.Optim.BaseLearningRate, scrl200.Optim.Lars.WeightDecay, scrl200.Optim.BaseEmaMomentum, scrl200.Run.Epochs));
        Assert.Equal((10, 0.5, 32, 50), (scrl200.Boxes.BoxesPerImage, scrl200.Boxes.IouThreshold, scrl200.Boxes.MinSize, scrl200.Boxes.MaxAttempts));
        Assert.Equal((1, 1.0 / 32, -1, false), (scrl200.Network.RoiPool.OutputSize, scrl200.Network.RoiPool.SpatialScale, scrl200.Network.RoiPool.SamplingRatio, scrl200.Network.RoiPool.Aligned));
        Assert.Equal((4096, 256, Scrl.Core.Optim.LarsMode.ScrlOfficial), (scrl200.Network.HiddenSize, scrl200.Network.ProjectionSize, scrl200.Optim.Lars.Mode));

        var scrl1000 = ConfigLoader.Load("scrl_1000ep");
        Assert.Equal((0.2, 1.5e-6, 0.996, 1000), (scrl1000.Optim.BaseLearningRate, scrl1000.Optim.Lars.WeightDecay, scrl1000.Optim.BaseEmaMomentum, scrl1000.Run.Epochs));

        Assert.Equal(PretrainMethod.Byol, ConfigLoader.Load("byol_200ep").Method);
        Assert.Equal(PretrainMethod.Byol, ConfigLoader.Load("byol_1000ep").Method);
    }

    [Fact]
    public void Overrides_SetNestedKeys_WithJsonOrStringValues()
    {
        var config = ConfigLoader.Load("demo", ["optim.baseLearningRate=0.3", "network.backbone=ResNet34", "run.seed=7"]);
        Assert.Equal(0.3, config.Optim.BaseLearningRate);
        Assert.Equal(ResNetVariant.ResNet34, config.Network.Backbone);
        Assert.Equal(7, config.Run.Seed);
    }

    [Fact]
    public void MistypedKey_IsRejected_NamingTheKey()
    {
        var e = Assert.Throws<ConfigException>(() => ConfigLoader.Load("demo", ["optim.baseLearningRat=0.3"]));
        Assert.Contains("baseLearningRat", e.Message);
    }

    [Fact]
    public void BadValues_AreAllReported_AtOnce()
    {
        var e = Assert.Throws<ConfigException>(() => ConfigLoader.Load("demo", ["run.batchSize=0", "optim.lars.momentum=1.5", "optim.warmupEpochs=50"]));
        var paths = e.Errors.Select(x => x.Path).ToHashSet();
        Assert.Contains("run.batchSize", paths);
        Assert.Contains("optim.lars.momentum", paths);
        Assert.Contains("optim.warmupEpochs", paths);
    }

    [Fact]
    public void WrongValueType_NamesThePath()
    {
        var e = Assert.Throws<ConfigException>(() => ConfigLoader.Load("demo", ["run.epochs=many"]));
        Assert.Contains("epochs", e.Message);
    }

    [Fact]
    public void UnknownPresetOrFile_SaysWhatExists()
    {
        var e = Assert.Throws<ConfigException>(() => ConfigLoader.Load("scrl_9000ep"));
        Assert.Contains("scrl_200ep", e.Message);
    }

    [Fact]
    public void ConfigFile_RoundTrips()
    {
        var path = Path.Combine(Path.GetTempPath(), $"scrl-config-{Guid.NewGuid():N}.json");
        try
        {
            var original = ConfigLoader.Load("scrl_1000ep", ["run.batchSize=64"]);
            File.WriteAllText(path, ConfigLoader.ToJson(original));
            var reloaded = ConfigLoader.Load(path);
            Assert.Equal(ConfigLoader.ToJson(original), ConfigLoader.ToJson(reloaded));
        }
        finally { File.Delete(path); }
    }
}
