namespace Portal.Core.Common;

/// <summary>How an expected failure maps to the outside world (HTTP status, UI wording).</summary>
public enum ErrorKind
{
    Validation,
    NotFound,
    Forbidden,
    Conflict,
    Unauthorized,
    /// <summary>The request is larger than what the caller may still store (a quota).</summary>
    TooLarge,
    /// <summary>The server cannot store the request right now (free disk space below its floor).</summary>
    InsufficientStorage,
}

/// <summary>An expected failure with a stable, documented code such as <c>team.not-found</c>.</summary>
public sealed record Error(string Code, string Message, ErrorKind Kind)
{
    public IReadOnlyDictionary<string, string[]>? Fields { get; init; }

    public static Error Validation(string code, string message, IReadOnlyDictionary<string, string[]>? fields = null) =>
        new(code, message, ErrorKind.Validation) { Fields = fields };
    public static Error NotFound(string code, string message) => new(code, message, ErrorKind.NotFound);

    /// <summary>The first message for one field, for showing under that input.</summary>
    public string? FieldMessage(string field) => Fields is { } fields && fields.TryGetValue(field, out var messages) ? messages[0] : null;
    public static Error Forbidden(string code, string message) => new(code, message, ErrorKind.Forbidden);
    public static Error Conflict(string code, string message) => new(code, message, ErrorKind.Conflict);
    public static Error TooLarge(string code, string message) => new(code, message, ErrorKind.TooLarge);
    public static Error InsufficientStorage(string code, string message) => new(code, message, ErrorKind.InsufficientStorage);
}

public readonly record struct Result
{
    public Error? Error { get; }
    public bool IsSuccess => Error is null;

    private Result(Error? error) => Error = error;

    public static Result Ok() => new(null);
    public static implicit operator Result(Error error) => new(error);
}

public readonly record struct Result<T>
{
    private readonly T? _value;

    public Error? Error { get; }
    public bool IsSuccess => Error is null;
    public T Value => IsSuccess ? _value! : throw new InvalidOperationException($"No value: {Error!.Code}");

    private Result(T? value, Error? error)
    {
        _value = value;
        Error = error;
    }

    public static Result<T> From(T value) => new(value, null);
    public static implicit operator Result<T>(T value) => new(value, null);
    public static implicit operator Result<T>(Error error) => new(default, error);
}
