/** Who is calling, taken from a verified bearer token. */
export interface Principal {
  /** The token's `sub` claim. */
  id: string;
  /** The `name` claim, else `preferred_username`, else null. */
  name: string | null;
  /** The tenant the caller acts in: the token's `tid` claim. */
  tenantId: string;
  /** The `roles` claim; an absent claim means no roles. */
  roles: string[];
}
