/** The structured logger every function shares (service name and level come from POWERTOOLS_* variables). */
import { Logger } from '@aws-lambda-powertools/logger';

export const logger = new Logger();
