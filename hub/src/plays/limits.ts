/** Longest play the hub accepts (a day): also bounds how far back the overlap check looks. */
export const MAX_SECONDS_AUDIBLE = 86_400;
