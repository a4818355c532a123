import express from 'express';
import Router from 'express-promise-router';
import { z } from 'zod';
import { InputError } from '@backstage/errors';
import { TeamsRelay } from './services/Alerts/TeamsRelay';

const receiverParam = z.object({
  receiver: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/),
});

/**
 * `POST /alerts/teams/:receiver`: Alertmanager's webhook for a Microsoft
 * Teams receiver. Called by Alertmanager, not by Backstage users: the plugin
 * lets it through without Backstage credentials and the relay checks the
 * shared token of `streaming.alerting.teamsRelay` instead.
 */
export function createAlertRelayRouter(relay: TeamsRelay): express.Router {
  const router = Router();
  router.use(express.json());
  router.post('/alerts/teams/:receiver', async (req, res) => {
    const params = receiverParam.safeParse(req.params);
    if (!params.success) {
      throw new InputError('Invalid path: receiver: expected a receiver name');
    }
    await relay.relay(
      params.data.receiver,
      req.header('authorization'),
      req.body,
    );
    res.status(204).end();
  });
  return router;
}
