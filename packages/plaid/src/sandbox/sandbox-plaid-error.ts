/** The body of a Plaid error response, without the request id the server adds. */
export interface PlaidErrorBody {
  error_type: string;
  error_code: string;
  error_message: string;
  display_message: string | null;
}

/** Thrown inside the sandbox's handlers; the server turns it into Plaid's error response. */
export class SandboxPlaidError extends Error {
  constructor(
    readonly status: number,
    readonly body: PlaidErrorBody,
    readonly headers: Record<string, string> = {},
  ) {
    super(body.error_message);
    this.name = 'SandboxPlaidError';
  }
}

export function sandboxError(
  status: number,
  errorType: string,
  errorCode: string,
  message: string,
  displayMessage: string | null = null,
): SandboxPlaidError {
  return new SandboxPlaidError(status, {
    error_type: errorType,
    error_code: errorCode,
    error_message: message,
    display_message: displayMessage,
  });
}

export const itemLoginRequired = (): SandboxPlaidError =>
  sandboxError(
    400,
    'ITEM_ERROR',
    'ITEM_LOGIN_REQUIRED',
    "the login details of this item have changed (credentials, MFA, or required user action) and a user login is required to update this information. use Link's update mode to restore the item to a good state",
    "We're sorry, but you need to update your login credentials.",
  );

export const invalidAccessToken = (): SandboxPlaidError =>
  sandboxError(
    400,
    'INVALID_INPUT',
    'INVALID_ACCESS_TOKEN',
    'provided access token is in an invalid format or does not exist',
  );
