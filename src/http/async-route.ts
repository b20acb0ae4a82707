import type { NextFunction, Request, RequestHandler, Response } from 'express';

/** Forwards a rejected promise to the error handler; Express 4 does not, Express 5 does. */
export function asyncRoute(handler: (req: Request, res: Response, next: NextFunction) => Promise<unknown>): RequestHandler {
  return (req, res, next) => {
    handler(req, res, next).catch(next);
  };
}
