namespace Microsoft.ML.Reparam.Samples.WebService;

/// <summary>An upload the service refuses: answered with <see cref="StatusCode"/> and the message, never with 500.</summary>
public sealed class BadUploadException(string message, int statusCode = StatusCodes.Status400BadRequest) : Exception(message)
{
    public int StatusCode { get; } = statusCode;
}
