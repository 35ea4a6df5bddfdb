using System.Net;
using System.Text.Json;
using Microsoft.Azure.Functions.Worker.Http;
using Scrl.Pipeline.Specs;

namespace Scrl.Functions.Api;

/// <summary>JSON responses of the HTTP API, written with the pipeline's one JSON dialect (<see cref="SpecJson"/>).</summary>
internal static class ApiResponses
{
    /// <summary>400 with every problem of the request: <c>{"errors":[{"path":..,"message":..}]}</c>.</summary>
    public static Task<HttpResponseData> BadRequestAsync(HttpRequestData request, IReadOnlyList<ValidationError> errors, CancellationToken cancellationToken) =>
        JsonAsync(request, HttpStatusCode.BadRequest, new ErrorList(errors), cancellationToken);

    /// <summary>An error status with one message: <c>{"errors":[{"path":"$","message":..}]}</c>.</summary>
    public static Task<HttpResponseData> ErrorAsync(HttpRequestData request, HttpStatusCode status, string message, CancellationToken cancellationToken) =>
        JsonAsync(request, status, new ErrorList([new ValidationError("$", message)]), cancellationToken);

    public static async Task<HttpResponseData> JsonAsync<T>(HttpRequestData request, HttpStatusCode status, T body, CancellationToken cancellationToken)
    {
        HttpResponseData response = request.CreateResponse(status);
        response.Headers.Add("Content-Type", "application/json; charset=utf-8");
        await JsonSerializer.SerializeAsync(response.Body, body, SpecJson.Options, cancellationToken);
        return response;
    }

    private sealed record ErrorList(IReadOnlyList<ValidationError> Errors);
}
