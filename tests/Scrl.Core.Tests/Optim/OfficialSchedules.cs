using System.Text.Json;
using Scrl.Core.Tests.Support;

namespace Scrl.Core.Tests.Optim;

/// <summary>
/// golden/training/schedules.json: rates and EMA momenta that the official schedulers (LinearWarmupScheduler over
/// torch's CosineAnnealingLR driving CustomLARS, and _decay_ema_momentum) produce, written by make_schedules.py.
/// </summary>
public static class OfficialSchedules
{
    public sealed record Step(long Index, double LearningRate, double EmaMomentum);

    public sealed record Run(string Name, double BaseLearningRate, int GlobalBatchSize, int StepsPerEpoch, int Epochs,
                             int WarmupEpochs, double BaseEmaMomentum, IReadOnlyList<Step> Steps);

    public static IReadOnlyList<Run> Load()
    {
        using var document = JsonDocument.Parse(File.ReadAllText(Golden.PathOf("training/schedules.json")));
        return document.RootElement.EnumerateArray().Select(r => new Run(
            r.GetProperty("name").GetString()!,
            r.GetProperty("baseLearningRate").GetDouble(),
            r.GetProperty("globalBatchSize").GetInt32(),
            r.GetProperty("stepsPerEpoch").GetInt32(),
            r.GetProperty("epochs").GetInt32(),
            r.GetProperty("warmupEpochs").GetInt32(),
            r.GetProperty("baseEmaMomentum").GetDouble(),
            r.GetProperty("steps").EnumerateArray()
                .Select(s => new Step(s.GetProperty("step").GetInt64(), s.GetProperty("lr").GetDouble(), s.GetProperty("ema").GetDouble()))
                .ToList())).ToList();
    }

    public static Run Named(string name) => Load().Single(r => r.Name == name);
}
