// Entry module of the uvts driver's sender thread.
//
// On Node 20 a Worker's entry module is resolved before the `--import tsx`
// of its execArgv takes effect, so a .ts entry fails with "Unknown file
// extension". This plain module registers tsx's loader itself and then loads
// the TypeScript worker code.
import { register } from 'tsx/esm/api';

register();
await import('./thread-sender.ts');
