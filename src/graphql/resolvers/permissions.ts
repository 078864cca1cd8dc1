import { type AuthChecker } from 'type-graphql';
import { assertCanRead, assertCanWrite } from '../../auth';
import { type GraphQLContext } from '../context';

/** Permission a resolver needs: run queries. */
export const READ = 'READ';
/** Permission a resolver needs: run mutations. */
export const WRITE = 'WRITE';

/** Checks `@Authorized(READ | WRITE)`, throwing FORBIDDEN with the role that is needed. */
export const authChecker: AuthChecker<GraphQLContext> = ({ context }, permissions) => {
  for (const permission of permissions) {
    if (permission === WRITE) assertCanWrite(context.principal);
    else assertCanRead(context.principal);
  }
  return true;
};
