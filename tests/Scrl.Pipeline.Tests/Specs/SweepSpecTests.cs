using Scrl.Pipeline.Specs;

namespace Scrl.Pipeline.Tests.Specs;

public sealed class SweepSpecTests
{
    private static readonly RunSpec Base = new() { Dataset = new DatasetSpec { Source = "/data/coco" }, Overrides = new Dictionary<string, string> { ["run.epochs"] = "100", ["optim.baseLearningRate"] = "0.45" } };

    [Fact]
    public void Expand_TwoKeys_IsTheCartesianProductWithNumberedIdsAndMergedOverrides()
    {
        var sweep = new SweepSpec
        {
            Base = Base,
            Grid = new Dictionary<string, IReadOnlyList<string>>
            {
                ["optim.baseLearningRate"] = ["0.3", "0.6"],
                ["boxes.maxBoxes"] = ["5", "10", "20"],
            },
        };

        IReadOnlyList<SweepMember> members = SweepGrid.Expand(sweep, "sweep-a");

        Assert.Equal(6, sweep.RunCount);
        Assert.Equal(["sweep-a-000", "sweep-a-001", "sweep-a-002", "sweep-a-003", "sweep-a-004", "sweep-a-005"], members.Select(m => m.Spec.RunId));
        Assert.Equal(["5/0.3", "5/0.6", "10/0.3", "10/0.6", "20/0.3", "20/0.6"],
                     members.Select(m => $"{m.Parameters["boxes.maxBoxes"]}/{m.Parameters["optim.baseLearningRate"]}"));
        Assert.All(members, m => Assert.Equal("100", m.Spec.Overrides["run.epochs"]));
        Assert.Equal("0.6", members[5].Spec.Overrides["optim.baseLearningRate"]); // the grid value replaces the base's
        Assert.All(members, m => Assert.Empty(m.Spec.Validate()));
    }

    [Fact]
    public void ReadSweepSpec_ManyProblems_ListsEveryOneIncludingTheBaseSpecs()
    {
        var (spec, errors) = SpecJson.ReadSweepSpec("""
            {
              "sweepId": "S!",
              "base": { "runId": "fixed", "dataset": { "source": "" } },
              "grid": { "optim.baseLearningRate": [], "run.epochs": ["1", "1"] },
              "maxConcurrency": 0,
              "objective": { "metric": "finalLoss", "goal": "maximize" }
            }
            """);

        Assert.Null(spec);
        Assert.Equal(
        [
            "$.sweepId", "$.base.dataset.source", "$.base.runId", "$.grid['optim.baseLearningRate']", "$.grid['run.epochs']",
            "$.maxConcurrency", "$.objective.metric",
        ], errors.Select(e => e.Path));
    }

    [Fact]
    public void ReadSweepSpec_Valid_TakesDefaults()
    {
        var (spec, errors) = SpecJson.ReadSweepSpec("""{ "base": { "dataset": { "source": "/d" } }, "grid": { "optim.baseLearningRate": ["0.3"] } }""");

        Assert.Empty(errors);
        Assert.Equal((2, "pretrain.finalLoss", ObjectiveGoal.Minimize), (spec!.MaxConcurrency, spec.Objective.Metric, spec.Objective.Goal));
    }
}
