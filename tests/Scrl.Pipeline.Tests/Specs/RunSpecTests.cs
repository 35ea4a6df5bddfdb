using System.Text.Json;
using Scrl.Pipeline.Specs;

namespace Scrl.Pipeline.Tests.Specs;

public sealed class RunSpecTests
{
    [Fact]
    public void ReadRunSpec_MinimalDocument_TakesDocumentedDefaults()
    {
        var (spec, errors) = SpecJson.ReadRunSpec("""{ "dataset": { "source": "https://acct.blob.core.windows.net/coco" } }""");

        Assert.Empty(errors);
        Assert.NotNull(spec);
        Assert.Null(spec.RunId);
        Assert.Equal((DatasetFormat.Coco, PretrainMethod.Scrl, Backbone.ResNet50, "scrl_200ep"), (spec.Dataset.Format, spec.Method, spec.Backbone, spec.Preset));
        Assert.True(spec.RoiEval.Enabled);
        Assert.Empty(spec.Finetune);
        Assert.Equal(TimeSpan.FromDays(3), spec.Stages.Pretrain.Timeout);
        Assert.Equal(3, spec.Stages.Shard.MaxAttempts);
    }

    [Fact]
    public void ReadRunSpec_EnumsAndOverrides_ReadAsTheirJsonNames()
    {
        var (spec, errors) = SpecJson.ReadRunSpec("""
            {
              "runId": "run-1", "dataset": { "source": "/data/voc", "format": "voc" }, "method": "byol", "backbone": "resnet18",
              "overrides": { "optim.baseLearningRate": "0.3" },
              "roiEval": { "train": "/data/coco", "val": "/data/coco", "overrides": { "epochs": "5" } },
              "finetune": [ { "task": "coco-det", "schedule": "0.5x", "train": "/data/coco", "overrides": { "maxSteps": "100" } },
                            { "task": "voc-det", "schedule": "voc" } ],
              "stages": { "pretrain": { "timeout": "1.00:00:00", "maxAttempts": 5 } }
            }
            """);

        Assert.Empty(errors);
        Assert.Equal((PretrainMethod.Byol, Backbone.ResNet18, DatasetFormat.Voc), (spec!.Method, spec.Backbone, spec.Dataset.Format));
        Assert.Equal("0.3", spec.Overrides["optim.baseLearningRate"]);
        Assert.Equal(["finetune-faster-rcnn-coco-det-0p5x", "finetune-faster-rcnn-voc-det-voc"], spec.Finetune.Select(f => f.StageName));
        Assert.Equal((TimeSpan.FromDays(1), 5), (spec.Stages.Pretrain.Timeout, spec.Stages.Pretrain.MaxAttempts));
        Assert.Equal(TimeSpan.FromMinutes(1), spec.Stages.Pretrain.FirstRetryDelay); // unset keys keep their defaults
        string written = JsonSerializer.Serialize(spec, SpecJson.Options);
        Assert.Contains("\"schedule\": \"0.5x\"", written);
        Assert.Equal(JsonSerializer.Serialize(spec.Finetune, SpecJson.Options), JsonSerializer.Serialize(SpecJson.ReadRunSpec(written).Spec!.Finetune, SpecJson.Options));
    }

    [Fact]
    public void ReadRunSpec_InstanceAndKeypointTasks_TakeTheirDetectorAndScheduleByDefault_AndRefuseOthers()
    {
        var (spec, errors) = SpecJson.ReadRunSpec("""
            {
              "runId": "run-1", "dataset": { "source": "/data/coco" }, "method": "scrl", "backbone": "resnet50",
              "finetune": [ { "task": "coco-instances" }, { "task": "coco-keypoints", "schedule": "0.5x" },
                            { "task": "cityscapes-instances", "train": "/data/cityscapes" }, { "task": "coco-det", "detector": "sparse-rcnn" },
                            { "task": "voc-det", "detector": "sparse-rcnn", "train": "/data/voc" } ]
            }
            """);
        Assert.Empty(errors);
        Assert.Equal(["finetune-mask-rcnn-coco-instances-1x", "finetune-keypoint-rcnn-coco-keypoints-0p5x", "finetune-mask-rcnn-cityscapes-instances-cityscapes",
                      "finetune-sparse-rcnn-coco-det-3x", "finetune-sparse-rcnn-voc-det-voc"],
                     spec!.Finetune.Select(f => f.StageName));

        var (_, refused) = SpecJson.ReadRunSpec("""
            {
              "runId": "run-1", "dataset": { "source": "/data/coco" }, "method": "scrl", "backbone": "resnet50",
              "finetune": [ { "task": "coco-instances", "detector": "faster-rcnn" }, { "task": "cityscapes-instances", "schedule": "1x" },
                            { "task": "coco-det", "detector": "keypoint-rcnn" } ]
            }
            """);
        Assert.Equal(["$.finetune[0].detector", "$.finetune[1].schedule", "$.finetune[1].train", "$.finetune[2].detector"], refused.Select(e => e.Path));
        Assert.Contains("coco-instances fine-tunes mask-rcnn, not faster-rcnn", refused[0].Message);
        Assert.Contains("'cityscapes'", refused[1].Message);
    }

    [Fact]
    public void Validate_EvaluationData_DefaultsToTheRunDataset_OnlyWhenItsLayoutFits()
    {
        var (_, errors) = SpecJson.ReadRunSpec("""
            {
              "dataset": { "source": "/data/images", "format": "imagefolder" },
              "roiEval": { "val": "https://acct.blob.core.windows.net/coco", "overrides": { "Bad Key": "1", "epochs": " " } },
              "finetune": [ { "task": "coco-det", "schedule": "1x" }, { "task": "voc-det", "schedule": "voc", "train": "/data/voc" } ]
            }
            """);

        Assert.Equal(["$.roiEval.overrides['Bad Key']", "$.roiEval.overrides['epochs']", "$.roiEval.val", "$.roiEval.train", "$.finetune[0].train"],
                     errors.Select(e => e.Path));
        Assert.Contains("imagefolder", errors.Single(e => e.Path == "$.finetune[0].train").Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void ReadRunSpec_MistypedKey_IsRejectedWithItsPath()
    {
        var (spec, errors) = SpecJson.ReadRunSpec("""{ "dataset": { "source": "/d", "fromat": "voc" } }""");

        Assert.Null(spec);
        ValidationError error = Assert.Single(errors);
        Assert.Equal("$.dataset.fromat", error.Path);
    }

    [Fact]
    public void ReadRunSpec_DatasetMissing_IsRejected()
    {
        var (spec, errors) = SpecJson.ReadRunSpec("""{ "method": "byol" }""");

        Assert.Null(spec);
        Assert.Contains("dataset", Assert.Single(errors).Message);
    }

    [Fact]
    public void Validate_ManyProblems_ListsEveryOneWithItsJsonPath()
    {
        var (spec, errors) = SpecJson.ReadRunSpec("""
            {
              "runId": "Run_1",
              "dataset": { "source": "" },
              "preset": "has space",
              "overrides": { "Optim..lr": "0.3", "run.epochs": " " },
              "roiEval": { "enabled": false, "baselines": ["random", "random"] },
              "finetune": [ { "task": "voc-det", "schedule": "1x" }, { "task": "coco-det", "schedule": "voc" }, { "task": "coco-det", "schedule": "voc" } ],
              "stages": { "shard": { "timeout": "00:00:00", "maxAttempts": 0, "backoffCoefficient": 0.5 } }
            }
            """);

        Assert.Null(spec);
        Assert.Equal(
        [
            "$.runId", "$.dataset.source", "$.preset", "$.overrides['Optim..lr']", "$.overrides['run.epochs']",
            "$.roiEval.baselines[1]", "$.roiEval.baselines", "$.finetune[0].schedule", "$.finetune[0].train", "$.finetune[1].schedule",
            "$.finetune[2].schedule", "$.finetune[2]", "$.stages.shard.timeout", "$.stages.shard.maxAttempts",
            "$.stages.shard.backoffCoefficient",
        ], errors.Select(e => e.Path));
        Assert.All(errors, e => Assert.False(string.IsNullOrWhiteSpace(e.Message)));
    }

    [Fact]
    public void Validate_NullsInsteadOfValues_AreReportedNotThrown()
    {
        var (spec, errors) = SpecJson.ReadRunSpec("""
            { "dataset": { "source": null }, "preset": null, "overrides": null, "roiEval": { "baselines": null },
              "finetune": [null], "stages": { "pretrain": null } }
            """);

        Assert.Null(spec);
        Assert.Equal(["$.dataset.source", "$.preset", "$.overrides", "$.roiEval.baselines", "$.finetune[0]", "$.stages.pretrain"],
                     errors.Select(e => e.Path));
    }

    [Fact]
    public void StagePolicy_RetryDelay_GrowsExponentially()
    {
        var policy = new StagePolicy { FirstRetryDelay = TimeSpan.FromSeconds(10), BackoffCoefficient = 3 };

        Assert.Equal([10, 30, 90], new[] { 1, 2, 3 }.Select(a => policy.RetryDelayAfter(a).TotalSeconds));
    }
}
