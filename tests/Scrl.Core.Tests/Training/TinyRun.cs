using Scrl.Core.Configuration;
using Scrl.Core.Data;
using Scrl.Core.Data.Loading;
using Scrl.Core.Data.Synthetic;
using Scrl.Core.Tests.Support;

namespace Scrl.Core.Tests.Training;

/// <summary>A small generated dataset and a config small enough for many CPU steps in a unit test.</summary>
public sealed class TinyRun : IDisposable
{
    private readonly TempDirectory _data = new();

    public TinyRun()
    {
        SyntheticShapesDataset.Generate(new SyntheticDatasetOptions { TrainImages = 16, ValImages = 4, MinSide = 72, MaxSide = 112 },
                                        DataRoot, progress: null, CancellationToken.None);
    }

    public string DataRoot => Path.Combine(_data.Path, "shapes");

    /// <summary>ResNet-18 at 64 px, batch 4: four steps per epoch.</summary>
    public PretrainConfig Config(params string[] overrides) => ConfigLoader.Load("demo",
    [
        "augment.inputSize=64", "boxes.inputSize=64", "run.batchSize=4", "run.epochs=4", "optim.warmupEpochs=1",
        "network.hiddenSize=64", "network.projectionSize=32", "run.seed=3", "data.decodeWorkers=1",
        $"data.source={DataRoot}", "data.format=Coco", .. overrides,
    ]);

    public Task<IPretrainSampleSource> SourceAsync(PretrainConfig config) => PretrainDataSource.OpenAsync(config.Data);

    public void Dispose() => _data.Dispose();
}
