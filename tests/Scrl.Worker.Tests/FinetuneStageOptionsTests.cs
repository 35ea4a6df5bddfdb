using Scrl.Pipeline.Orchestration;
using Scrl.Pipeline.Specs;
using Scrl.Worker.Stages.Finetune;

namespace Scrl.Worker.Tests;

public sealed class FinetuneStageOptionsTests
{
    [Fact]
    public void EverySpecDetectorTaskAndSchedule_IsANameTheFineTuningLibraryKnows()
    {
        foreach (var detector in Enum.GetValues<FinetuneDetector>())
            Assert.Equal(FinetuneTaskSpec.JsonName(detector), Detection.DetectorKinds.NameOf(Detection.DetectorKinds.Parse(FinetuneTaskSpec.JsonName(detector))));
        foreach (var task in Enum.GetValues<FinetuneTask>())
            Assert.Equal(FinetuneTaskSpec.JsonName(task), Detection.Training.FinetuneTasks.NameOf(Detection.Training.FinetuneTasks.Parse(FinetuneTaskSpec.JsonName(task))));
        foreach (var schedule in Enum.GetValues<FinetuneSchedule>())
            Assert.Contains(FinetuneTaskSpec.JsonName(schedule), Detection.Training.FinetuneOptions.Schedules);
    }

    [Fact]
    public void Parse_SparseRcnnJobWithTheStarSetting_TrainsWithAdamWOn300ProposalsAndCrops()
    {
        string folder = Directory.CreateTempSubdirectory("finetune-options").FullName;
        string json = StageJobOptions.ToJson(new StageJobOptions.Finetune(
            FinetuneDetector.SparseRcnn, FinetuneTask.CocoDetection, FinetuneSchedule.ThreeX, Backbone.ResNet50,
            ["runs/x/pretrain/checkpoints/step-000010.ckpt"], folder, folder,
            new Dictionary<string, string> { ["proposals"] = "300", ["randomCrop"] = "true" }));

        var (options, problems) = FinetuneStageOptions.Parse(json);

        Assert.Empty(problems);
        var spec = options!.Spec;
        Assert.Equal(Detection.DetectorKind.SparseRcnn, spec.Detector);
        Assert.Equal((Detection.Training.FinetuneOptimizer.AdamW, 2.5e-5, 1.0), (spec.Training.Optimizer, spec.Training.BaseLearningRate, spec.Training.GradientClipNorm));
        Assert.Equal((300, true), (spec.Training.Proposals, spec.Training.RandomCrop));
        Assert.Equal(270_000L, spec.Training.MaxSteps);
        Assert.Equal([202_500L, 247_500L], spec.Training.LrSteps);
        Directory.Delete(folder);
    }
}
