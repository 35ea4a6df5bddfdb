using Scrl.Pipeline.Orchestration;
using Scrl.Pipeline.Specs;

namespace Scrl.Pipeline.Tests.Api;

/// <summary>The request checks both HTTP hosts (the Functions app and <c>scrl emulate</c>) share.</summary>
public sealed class ApiRequestTests
{
    [Theory]
    [InlineData("run-20260101-000000-1a2b3c4d")]
    [InlineData("a")]
    public void PathProblem_ValidIds_None(string id) => Assert.Null(RunIds.PathProblem(id));

    [Theory]
    [InlineData("../../secrets")]
    [InlineData("run/..")]
    [InlineData("Run-1")]
    [InlineData("a\0b")]
    [InlineData("")]
    public void PathProblem_PathLikeOrMalformedIds_NameTheId(string id)
    {
        ValidationError problem = RunIds.PathProblem(id)!;
        Assert.Equal("$.id", problem.Path);
        Assert.Contains($"'{id}'", problem.Message);
        Assert.NotNull(RunIds.PathProblem(new string('a', 64)));
    }

    [Theory]
    [InlineData(null, CancelRequest.DefaultReason)]
    [InlineData("  ", CancelRequest.DefaultReason)]
    [InlineData("""{"reason":"enough"}""", "enough")]
    public void CancelRead_EmptyOrWithReason_GivesTheRequest(string? body, string reason) =>
        Assert.Equal(new CancelRequest(reason), CancelRequest.Read(body).Request);

    [Theory]
    [InlineData("""{"reason":""}""", "$.reason")]
    [InlineData("""{"why":"x"}""", "$")]
    [InlineData("not json", "$")]
    public void CancelRead_BadBodies_GiveTheProblem(string body, string pathStart)
    {
        (CancelRequest? request, ValidationError? problem) = CancelRequest.Read(body);
        Assert.Null(request);
        Assert.StartsWith(pathStart, problem!.Path);
    }
}
