/** Every measurement, in the order of the table. A new one is added by listing it here. */
import type { Measurement } from '../harness/types.js';
import { lintThroughput } from './lint.js';
import { startup } from './startup.js';
import { imageGate } from './image.js';
import { doctor } from './doctor.js';
import { doctorBusy } from './doctor-busy.js';
import { checkpoint } from './checkpoint.js';
import { scaling } from './scaling.js';
import { fixSize } from './fix-size.js';
import { migrate } from './migrate.js';

export const MEASUREMENTS: readonly Measurement[] = [lintThroughput, startup, imageGate, doctor, doctorBusy, checkpoint, scaling, fixSize, migrate];
