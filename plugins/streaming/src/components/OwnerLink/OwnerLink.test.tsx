import { screen } from '@testing-library/react';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import { OwnerLink } from './OwnerLink';

const render = (entityRef: string) =>
  renderInTestApp(<OwnerLink entityRef={entityRef} />, {
    mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
  });

describe('OwnerLink', () => {
  it('links a group by its short name', async () => {
    await render('group:default/team-accounts');
    const link = screen.getByRole('link', { name: 'team-accounts' });
    expect(link).toHaveAttribute(
      'href',
      '/catalog/default/group/team-accounts',
    );
  });

  it('lets a long ref wrap after its separators, never inside a word', async () => {
    await render('user:development/guest');
    const link = screen.getByRole('link', { name: 'user:development/guest' });
    expect(link).toHaveAttribute('href', '/catalog/development/user/guest');
    // Break opportunities after ":" and "/" only: the words stay whole.
    const text = link.querySelector('span')!;
    expect(text.innerHTML).toBe('user:<wbr>development/<wbr>guest');
  });
});
