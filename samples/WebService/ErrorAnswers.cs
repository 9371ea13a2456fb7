namespace Microsoft.ML.Reparam.Samples.WebService;

/// <summary>Turns refused uploads (and bodies over the size limit) into 4xx answers with a JSON message, never 500.</summary>
public sealed class ErrorAnswers(RequestDelegate next, ILogger<ErrorAnswers> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        try
        {
            await next(context);
        }
        catch (BadUploadException error)
        {
            await Answer(context, error.StatusCode, error.Message);
        }
        catch (BadHttpRequestException error)
        {
            await Answer(context, error.StatusCode, $"The request was refused: {error.Message}");
        }
        catch (InvalidDataException error) when (error.Message.Contains("length limit", StringComparison.Ordinal))
        {
            await Answer(context, StatusCodes.Status413PayloadTooLarge, $"The request was refused: {error.Message}");
        }
        catch (InvalidDataException error)
        {
            await Answer(context, StatusCodes.Status400BadRequest, $"The upload is not valid multipart/form-data: {error.Message}");
        }
        catch (Exception error) when (!context.Response.HasStarted)
        {
            logger.LogError(error, "Scoring failed");
            await Answer(context, StatusCodes.Status500InternalServerError, "The model could not score this image; the error is in the service's log.");
        }
    }

    private static Task Answer(HttpContext context, int status, string message)
    {
        context.Response.Clear();
        context.Response.StatusCode = status;
        return context.Response.WriteAsJsonAsync(new { error = message });
    }
}
